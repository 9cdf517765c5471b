using Assl.Model.Skeletons;

namespace Assl.Model.Preprocessing;

/// <summary>
/// Seeded random augmentation of normalised sequences: temporal crop (resampled back to the input's
/// frame count), rotation, uniform scale, optional joint jitter and optional body-part masking.
/// </summary>
/// <remarks>
/// <para>Input is expected in canonical space, centred (the output of <see cref="SkeletonPreprocessor"/>):
/// rotations and scaling act about the origin and +Y is vertical. The output has the input's shape.</para>
/// <para>Random draws happen in a fixed order whatever the options, so a given seed gives the same crop and
/// rotation whether jitter or masking is on; the result depends only on (sequence, options, seed).</para>
/// </remarks>
public sealed class SkeletonAugmenter
{
    public SkeletonAugmenter(AugmentationOptions? options = null)
    {
        Options = options ?? AugmentationOptions.Weak;
        Options.Validate();
    }

    public AugmentationOptions Options { get; }

    public SkeletonSequence Augment(SkeletonSequence sequence, int seed) => Augment(sequence, new Random(seed));

    public SkeletonSequence Augment(SkeletonSequence sequence, Random rng)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentNullException.ThrowIfNull(rng);
        var o = Options;

        var cropped = Crop(sequence, Uniform(rng, o.MinCropFraction, o.MaxCropFraction), rng.NextDouble());
        double yaw = Radians(Uniform(rng, -o.MaxYawDegrees, o.MaxYawDegrees));
        double tiltX = Radians(Uniform(rng, -o.MaxTiltDegrees, o.MaxTiltDegrees));
        double tiltZ = Radians(Uniform(rng, -o.MaxTiltDegrees, o.MaxTiltDegrees));
        float scale = (float)Uniform(rng, o.MinScale, o.MaxScale);
        bool mask = rng.NextDouble() < o.JointGroupMaskProbability;
        double maskPick = rng.NextDouble();

        var positions = cropped.ToArray();
        (Rotation3.AboutY(yaw) * Rotation3.AboutX(tiltX) * Rotation3.AboutZ(tiltZ)).Apply(positions);
        for (int i = 0; i < positions.Length; i++)
            positions[i] *= scale;
        if (o.JitterSigma > 0)
        {
            for (int i = 0; i < positions.Length; i++)
                positions[i] += (float)(o.JitterSigma * StandardNormal(rng));
        }
        if (mask)
            MaskGroup(positions, sequence.Layout, maskPick);

        return new SkeletonSequence(sequence.Layout, positions, cropped.TimestampsMicros.ToArray(), (float[]?)cropped.Confidence?.Clone());
    }

    // A crop of round(fraction·F) frames (at least 2 when the clip has them, so motion survives) at a
    // uniformly chosen start, stretched back to F frames.
    private static SkeletonSequence Crop(SkeletonSequence sequence, double fraction, double startDraw)
    {
        int frames = sequence.FrameCount;
        int keep = Math.Clamp((int)Math.Round(fraction * frames), Math.Min(2, frames), frames);
        if (keep == frames) return sequence;
        int start = Math.Min((int)(startDraw * (frames - keep + 1)), frames - keep);
        return TemporalResampler.Resample(sequence.Slice(start, keep), frames);
    }

    // Masked joints are set to the origin (the first frame's spine), the same "zero" the inpainting task uses.
    private static void MaskGroup(Span<float> positions, JointLayout layout, double pick)
    {
        var groups = JointGroups.Limbs(layout);
        if (groups.Count == 0) return;
        var group = groups[Math.Min((int)(pick * groups.Count), groups.Count - 1)];
        int perFrame = layout.JointCount * 3;
        for (int frame = 0; frame < positions.Length; frame += perFrame)
        {
            foreach (int j in group)
                positions.Slice(frame + j * 3, 3).Clear();
        }
    }

    private static double Uniform(Random rng, double min, double max) => min + (max - min) * rng.NextDouble();

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    // Box–Muller; 1 − U keeps the logarithm's argument in (0, 1].
    private static double StandardNormal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
