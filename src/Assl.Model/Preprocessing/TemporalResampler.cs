using Assl.Model.Skeletons;

namespace Assl.Model.Preprocessing;

/// <summary>Resamples a sequence to a fixed number of frames by linear interpolation in frame order.</summary>
/// <remarks>
/// Output frame i sits at source position i·(F−1)/(T−1), so the first and last frames are copied exactly
/// and the clip's duration is kept. Interpolating in frame order (not by timestamp) is deliberate: the
/// datasets' timestamps are synthetic or jittery, and the model sees "the whole action in T steps".
/// Timestamps and confidence are interpolated the same way; a 1-frame sequence becomes T copies of
/// that frame with equal timestamps.
/// </remarks>
public static class TemporalResampler
{
    public static SkeletonSequence Resample(SkeletonSequence sequence, int targetFrames)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        ArgumentOutOfRangeException.ThrowIfLessThan(targetFrames, 1);
        int frames = sequence.FrameCount, joints = sequence.JointCount;

        var positions = new float[targetFrames * joints * 3];
        Interpolate(sequence.Positions, frames, joints * 3, positions, targetFrames);

        float[]? confidence = null;
        if (sequence.Confidence is { } sourceConfidence)
        {
            confidence = new float[targetFrames * joints];
            Interpolate(sourceConfidence, frames, joints, confidence, targetFrames);
        }

        var source = sequence.TimestampsMicros;
        var timestamps = new long[targetFrames];
        for (int i = 0; i < targetFrames; i++)
        {
            var (lo, hi, w) = Locate(i, frames, targetFrames);
            // Interpolated in double: long microsecond stamps lose nothing there, and rounding a
            // non-decreasing series keeps it non-decreasing.
            timestamps[i] = w == 0 ? source[lo] : (long)Math.Round(source[lo] + (source[hi] - source[lo]) * w);
        }

        return new SkeletonSequence(sequence.Layout, positions, timestamps, confidence);
    }

    /// <summary>
    /// Linearly resamples <paramref name="sourceFrames"/> rows of <paramref name="stride"/> values into
    /// <paramref name="targetFrames"/> rows of <paramref name="target"/>.
    /// </summary>
    public static void Interpolate(ReadOnlySpan<float> source, int sourceFrames, int stride, Span<float> target, int targetFrames)
    {
        if (source.Length != sourceFrames * stride || target.Length != targetFrames * stride)
            throw new ArgumentException(
                $"Buffers of {source.Length} and {target.Length} values do not hold {sourceFrames} and {targetFrames} rows of {stride}.");
        for (int i = 0; i < targetFrames; i++)
        {
            var (lo, hi, w) = Locate(i, sourceFrames, targetFrames);
            var a = source.Slice(lo * stride, stride);
            var dst = target.Slice(i * stride, stride);
            if (w == 0)
            {
                // Exact copy, so the first and last frames survive bit for bit.
                a.CopyTo(dst);
                continue;
            }
            var b = source.Slice(hi * stride, stride);
            float wb = (float)w, wa = 1f - wb;
            for (int k = 0; k < stride; k++)
                dst[k] = wa * a[k] + wb * b[k];
        }
    }

    private static (int Lo, int Hi, double W) Locate(int i, int sourceFrames, int targetFrames)
    {
        if (sourceFrames == 1 || targetFrames == 1) return (0, 0, 0);
        // i·(F−1) is an exact integer, so the last output lands exactly on F−1.
        double position = (double)i * (sourceFrames - 1) / (targetFrames - 1);
        int lo = Math.Min((int)Math.Floor(position), sourceFrames - 1);
        double w = position - lo;
        return w == 0 ? (lo, lo, 0) : (lo, lo + 1, w);
    }
}
