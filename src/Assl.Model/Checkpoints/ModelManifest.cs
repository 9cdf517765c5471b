using Assl.Model.Networks;
using Assl.Model.Training;

namespace Assl.Model.Checkpoints;

/// <summary>
/// Everything needed to use a trained model correctly, stored with its weights: what input it expects
/// (layout, T, normalisation), what it outputs (classes), how it was trained, how well it did, and a
/// hash that ties the manifest to exactly these weights.
/// </summary>
public sealed record ModelManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Human-readable version, e.g. "nucla-assl-r0.15-s1"; serving reports it.</summary>
    public required string ModelVersion { get; init; }

    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Joint layout id of the input, e.g. "kinect-v1-20".</summary>
    public required string JointLayout { get; init; }

    public required IReadOnlyList<string> ClassNames { get; init; }

    public required PreprocessingManifest Preprocessing { get; init; }

    public required AsslNetworkConfig Network { get; init; }

    public TrainingConfig? Training { get; init; }

    /// <summary>Dataset and split the model was trained on, free text ("N-UCLA cross-view, train views 1+2").</summary>
    public string? TrainedOn { get; init; }

    /// <summary>Named evaluation figures, fractions (top1: 0.78).</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>SHA-256 of the weights block, lowercase hex.</summary>
    public string WeightsSha256 { get; init; } = "";

    public long WeightsBytes { get; init; }
}

/// <summary>How raw skeletons become model input.</summary>
/// <param name="Frames">T: every window is resampled to this many frames.</param>
/// <param name="ViewNormalised">Centred on the first frame's spine and rotated to a body-facing frame.</param>
/// <param name="Description">What the normalisation does, for people reading the manifest.</param>
public sealed record PreprocessingManifest(int Frames, bool ViewNormalised, string Description);
