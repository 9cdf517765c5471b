using Assl.Model.Skeletons;

namespace Assl.Model.Preprocessing;

/// <summary>
/// The deterministic part of the input pipeline, shared by training, evaluation and the streaming service:
/// view normalisation (canonical metres, body-centred), then linear resampling to T frames.
/// </summary>
/// <remarks>
/// Normalising before resampling means the reference frame is the recorded first frame, not an
/// interpolated one (the resampler keeps frame 0 anyway, so the order only matters for the axis average).
/// </remarks>
public sealed class SkeletonPreprocessor
{
    private readonly ViewNormalizer _normalizer;

    public SkeletonPreprocessor(PreprocessingOptions? options = null)
    {
        Options = options ?? new PreprocessingOptions();
        Options.Validate();
        _normalizer = new ViewNormalizer(Options.CentreOnSpine, Options.ViewNormalisation, Options.AxisFrames);
    }

    public PreprocessingOptions Options { get; }

    /// <summary>A new sequence of <see cref="PreprocessingOptions.Frames"/> frames in canonical space.</summary>
    public SkeletonSequence Process(SkeletonSequence sequence) =>
        TemporalResampler.Resample(_normalizer.Normalize(sequence), Options.Frames);
}
