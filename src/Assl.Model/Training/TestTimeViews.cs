using Assl.Model.Tensors;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Test-time augmentation: evaluation averages the class probabilities of a clip over fixed, deterministic views
/// of it (the clip itself, turned about the vertical axis by each of <see cref="YawDegrees"/>, and the first and
/// the last <see cref="CropFraction"/> of its frames resampled to T). Each view is one the weak training
/// augmentation could have drawn, so the model is asked only questions it was trained on; averaging them
/// smooths its answer for a camera angle it never saw. Null or empty: the clip alone, as the paper evaluates.
/// </summary>
/// <param name="YawDegrees">Turns about +Y (canonical space's vertical), each its own view; e.g. [-15, 15].</param>
/// <param name="CropFraction">Share of frames each of the two temporal crops keeps, in (0, 1); null: no crops.</param>
public sealed record TestTimeViews(double[]? YawDegrees = null, double? CropFraction = null)
{
    /// <summary>How many views a clip is read in, itself included.</summary>
    public int Count => 1 + (YawDegrees?.Length ?? 0) + (CropFraction is null ? 0 : 2);

    public void Validate()
    {
        if (YawDegrees is { } yaws && yaws.Any(y => !double.IsFinite(y) || Math.Abs(y) > 180))
            throw new ArgumentException($"TestTimeViews.YawDegrees must be finite angles within ±180, got [{string.Join(", ", yaws)}].");
        if (CropFraction is { } crop && crop is <= 0 or >= 1)
            throw new ArgumentException($"TestTimeViews.CropFraction must be in (0, 1), got {crop}.");
    }

    /// <summary>Mean of <paramref name="probabilities"/> over every view of <paramref name="batch"/> (N, T, J·3).</summary>
    /// <param name="probabilities">A batch's class probabilities (N, classes), e.g. softmax of the network's logits.</param>
    public Tensor Average(Tensor batch, Func<Tensor, Tensor> probabilities)
    {
        using var scope = NewDisposeScope();
        var sum = probabilities(batch);
        foreach (var yaw in YawDegrees ?? [])
            sum = sum.Plus(probabilities(Turn(batch, yaw)));
        if (CropFraction is { } keep)
        {
            sum = sum.Plus(probabilities(Crop(batch, 0, keep)));
            sum = sum.Plus(probabilities(Crop(batch, 1 - keep, keep)));
        }
        return sum.DividedBy((long)Count).MoveToOuterDisposeScope();
    }

    /// <summary>Every frame's joints turned about +Y by <paramref name="degrees"/>.</summary>
    internal static Tensor Turn(Tensor batch, double degrees)
    {
        using var rotation = tensor(TensorAugmenter.RotationMatrix(degrees * Math.PI / 180, 0, 0), [1, 3, 3]).to(batch.device);
        using var rotations = rotation.expand(batch.shape[0], 3, 3);
        return TensorAugmenter.Rotate(batch, rotations);
    }

    /// <summary>
    /// The frames from <paramref name="start"/> to <paramref name="start"/> + <paramref name="keep"/> of the clip
    /// (fractions of its length), linearly resampled back to T frames.
    /// </summary>
    internal static Tensor Crop(Tensor batch, double start, double keep)
    {
        long frames = batch.shape[1];
        var positions = Enumerable.Range(0, (int)frames)
            .Select(t => (float)((start + keep * t / (frames - 1)) * (frames - 1)))
            .ToArray();
        using var one = tensor(positions, [1, frames]).to(batch.device);
        using var every = one.expand(batch.shape[0], frames);
        return TensorAugmenter.Resample(batch, every);
    }
}
