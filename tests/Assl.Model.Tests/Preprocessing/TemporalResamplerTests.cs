using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class TemporalResamplerTests
{
    [Theory]
    [InlineData(2, 50)]
    [InlineData(2, 2)]
    [InlineData(3, 50)]
    [InlineData(37, 50)]
    [InlineData(50, 50)]
    [InlineData(120, 50)]
    [InlineData(51, 50)]
    [InlineData(200, 7)]
    [InlineData(5, 2)]
    public void ReturnsTFramesKeepingFirstAndLastExactly(int frames, int target)
    {
        var sequence = WithJitteryTimestamps(KinectV1Moving(frames, seed: frames * 31 + target));

        var resampled = TemporalResampler.Resample(sequence, target);

        Assert.Equal(target, resampled.FrameCount);
        Assert.Same(sequence.Layout, resampled.Layout);
        Assert.Equal(sequence.Frame(0).ToArray(), resampled.Frame(0).ToArray());
        Assert.Equal(sequence.Frame(frames - 1).ToArray(), resampled.Frame(target - 1).ToArray());
        Assert.Equal(sequence.TimestampsMicros[0], resampled.TimestampsMicros[0]);
        Assert.Equal(sequence.TimestampsMicros[^1], resampled.TimestampsMicros[^1]);
        AssertNonDecreasing(resampled.TimestampsMicros);
        Assert.Equal(sequence.Confidence!.AsSpan(0, 20).ToArray(), resampled.Confidence!.AsSpan(0, 20).ToArray());
    }

    [Fact]
    public void SameLengthIsAnExactCopy()
    {
        var sequence = KinectV1Moving(frames: 50, seed: 4);

        var resampled = TemporalResampler.Resample(sequence, 50);

        Assert.Equal(sequence.ToArray(), resampled.ToArray());
        Assert.Equal(sequence.TimestampsMicros.ToArray(), resampled.TimestampsMicros.ToArray());
    }

    [Fact]
    public void SingleFrameIsRepeated()
    {
        var one = KinectV1Moving(frames: 1, seed: 2);
        var stamped = new SkeletonSequence(one.Layout, one.ToArray(), [123_456]);

        var resampled = TemporalResampler.Resample(stamped, 50);

        Assert.Equal(50, resampled.FrameCount);
        for (int t = 0; t < 50; t++)
        {
            Assert.Equal(one.Frame(0).ToArray(), resampled.Frame(t).ToArray());
            Assert.Equal(123_456, resampled.TimestampsMicros[t]);
        }
    }

    [Fact]
    public void TwoFramesAreInterpolatedLinearly()
    {
        var a = Enumerable.Repeat(0f, 60).ToArray();
        var b = Enumerable.Range(0, 60).Select(i => (float)i).ToArray();
        var sequence = new SkeletonSequence(JointLayouts.KinectV1, [.. a, .. b], [0, 1_000_000]);

        var resampled = TemporalResampler.Resample(sequence, 5);

        for (int t = 0; t < 5; t++)
        {
            for (int k = 0; k < 60; k++)
                Assert.Equal(k * t / 4f, resampled.Frame(t)[k], 4);
            Assert.Equal(t * 250_000, resampled.TimestampsMicros[t]);
        }
    }

    [Theory]
    [InlineData(10, 50)]
    [InlineData(80, 50)]
    public void LinearMotionStaysOnTheLine(int frames, int target)
    {
        // x of every joint moves 1 cm per frame, so resampled frame i must sit at i·(F−1)/(T−1) cm.
        var positions = new float[frames * 60];
        for (int t = 0; t < frames; t++)
            for (int j = 0; j < 20; j++)
                positions[(t * 20 + j) * 3] = 0.01f * t;

        var resampled = TemporalResampler.Resample(new SkeletonSequence(JointLayouts.KinectV1, positions), target);

        for (int i = 0; i < target; i++)
            Assert.Equal(0.01 * i * (frames - 1) / (target - 1), resampled.Joint(i, 7).X, 5);
    }

    [Fact]
    public void OneTargetFrameIsTheFirstFrame()
    {
        var sequence = KinectV1Moving(frames: 9, seed: 5);

        var resampled = TemporalResampler.Resample(sequence, 1);

        Assert.Equal(sequence.Frame(0).ToArray(), resampled.Frame(0).ToArray());
    }

    [Fact]
    public void RejectsNonPositiveTarget()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TemporalResampler.Resample(KinectV1Moving(3, 1), 0));
    }

    private static SkeletonSequence WithJitteryTimestamps(SkeletonSequence s)
    {
        var rng = new Random(s.FrameCount);
        var stamps = new long[s.FrameCount];
        for (int t = 1; t < stamps.Length; t++)
            stamps[t] = stamps[t - 1] + rng.Next(20_000, 50_000);
        var confidence = Enumerable.Range(0, s.FrameCount * s.JointCount).Select(i => (float)rng.NextDouble()).ToArray();
        return new SkeletonSequence(s.Layout, s.ToArray(), stamps, confidence);
    }

    private static void AssertNonDecreasing(ReadOnlySpan<long> stamps)
    {
        for (int t = 1; t < stamps.Length; t++)
            Assert.True(stamps[t] >= stamps[t - 1], $"timestamp {t}: {stamps[t]} < {stamps[t - 1]}");
    }
}
