using Assl.Model.Skeletons;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Preprocessing;

/// <summary>Packs preprocessed sequences into the model's (N, T, J·3) float32 input and back.</summary>
/// <remarks>
/// Frames are flattened to J·3 features because the GRU encoder consumes one feature vector per frame.
/// The batch is built as one float[] and handed to libtorch in a single copy: per-sequence tensors plus
/// torch.stack would cost N native allocations for nothing.
/// </remarks>
public static class SequenceTensorizer
{
    /// <summary>An (N, T, J·3) float32 tensor; every sequence must have the same layout and frame count.</summary>
    public static Tensor ToBatch(IReadOnlyList<SkeletonSequence> sequences, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (sequences.Count == 0)
            throw new ArgumentException("A batch needs at least one sequence.", nameof(sequences));
        var first = sequences[0];
        int frames = first.FrameCount, features = first.JointCount * 3, perSequence = frames * features;
        var data = new float[sequences.Count * perSequence];
        for (int n = 0; n < sequences.Count; n++)
        {
            var sequence = sequences[n];
            if (sequence.Layout != first.Layout || sequence.FrameCount != frames)
                throw new ArgumentException(
                    $"Sequence {n} is {sequence.Layout.Id} × {sequence.FrameCount} frames; the batch is {first.Layout.Id} × {frames}. Resample first.",
                    nameof(sequences));
            sequence.Positions.CopyTo(data.AsSpan(n * perSequence, perSequence));
        }
        var batch = torch.tensor(data, [sequences.Count, frames, features], ScalarType.Float32);
        if (device is null || device.type == DeviceType.CPU) return batch;
        using (batch)
        {
            return batch.to(device);
        }
    }

    /// <summary>Row <paramref name="row"/> of an (N, T, J·3) batch, or a single (T, J·3) row, as a sequence.</summary>
    public static SkeletonSequence ToSequence(Tensor batch, long row, JointLayout layout, long[]? timestampsMicros = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(layout);
        if (batch.dim() != 3 || batch.shape[2] != layout.JointCount * 3)
            throw new ArgumentException(
                $"Expected an (N, T, {layout.JointCount * 3}) tensor, got ({string.Join(", ", batch.shape)}).", nameof(batch));
        using var one = batch[row];
        return ToSequence(one, layout, timestampsMicros);
    }

    /// <summary>A (T, J·3) tensor as a sequence.</summary>
    public static SkeletonSequence ToSequence(Tensor row, JointLayout layout, long[]? timestampsMicros = null)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(layout);
        if (row.dim() != 2 || row.shape[1] != layout.JointCount * 3)
            throw new ArgumentException(
                $"Expected a (T, {layout.JointCount * 3}) tensor, got ({string.Join(", ", row.shape)}).", nameof(row));
        using var frames = row.reshape(row.shape[0], layout.JointCount, 3);
        return SkeletonSequence.FromTensor(frames, layout, timestampsMicros);
    }
}
