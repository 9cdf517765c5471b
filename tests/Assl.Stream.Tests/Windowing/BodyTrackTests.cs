using Assl.Model.Skeletons;
using Assl.Stream.Windowing;
using static Assl.Stream.Tests.Windowing.Observations;

namespace Assl.Stream.Tests.Windowing;

public sealed class BodyTrackTests
{
    private static readonly int Joints = JointLayouts.KinectV1.JointCount;

    private static BodyTrack Track(int windowFrames = 20, int stride = 5, int maxGap = 5, JointLayout? model = null) =>
        new("cam", 1, model ?? JointLayouts.KinectV1, windowFrames,
            new WindowingOptions { Stride = stride, MaxGapFrames = maxGap, FramesPerSecond = 30 });

    /// <summary>Asserts the window holds exactly input frames first..first+T-1.</summary>
    /// <remarks>Interpolated frames are compared with a tolerance: grid times are whole microseconds, so their weights are off by ~1e-6.</remarks>
    private static void AssertFrames(SkeletonWindow window, int first, int frames, float tolerance = 0)
    {
        Assert.Equal(frames, window.FrameCount);
        for (int f = 0; f < frames; f++)
        {
            var expected = Positions(JointLayouts.KinectV1, first + f);
            var actual = window.Positions.AsSpan(f * Joints * 3, Joints * 3).ToArray();
            if (tolerance == 0) Assert.Equal(expected, actual);
            else Assert.Equal(expected, actual, new Tolerance(tolerance));
        }
    }

    [Fact]
    public void JitteredThirtyFpsGivesFullWindowsAtTheStride()
    {
        var track = Track(windowFrames: 20, stride: 5);
        var random = new Random(42);
        var windows = new List<(int Frame, SkeletonWindow Window)>();
        for (int f = 0; f < 100; f++)
        {
            // ±3 ms around the 30 fps grid, but the first frame fixes the origin so keep it on time.
            long jitter = f == 0 ? 0 : random.Next(-3000, 3001);
            foreach (var w in track.Add(At(GridUs(f) + jitter, Positions(JointLayouts.KinectV1, f), receivedUnixUs: f)))
                windows.Add((f, w));
        }

        Assert.Equal(Enumerable.Range(0, 17).Select(i => 19 + 5 * i), windows.Select(w => w.Frame));
        foreach (var (frame, window) in windows)
        {
            AssertFrames(window, frame - 19, 20);
            Assert.Equal((GridUs(frame - 19), GridUs(frame)), (window.StartUs, window.EndUs));
            Assert.Equal(frame, window.ReceivedUnixUs);
            Assert.Same(JointLayouts.KinectV1, window.Layout);
        }
    }

    [Fact]
    public void ShortGapIsInterpolatedBetweenTheNeighbouringObservations()
    {
        var track = Track(windowFrames: 16, stride: 16, maxGap: 5);
        for (int f = 0; f < 10; f++) Assert.Empty(track.Add(Frame(f)));
        // Frames 10, 11, 12 never arrive; 13 is 5 ms late, so the weights follow the real timestamps.
        long t13 = GridUs(13) + 5_000;
        var late = Positions(JointLayouts.KinectV1, 13);
        Assert.Empty(track.Add(At(t13, late)));
        Assert.Empty(track.Add(Frame(14)));
        var window = Assert.Single(track.Add(Frame(15)));

        Assert.Equal(16, track.BufferedFrames);
        Assert.Equal(0, track.Resets);
        Assert.Equal(GridUs(0), window.StartUs);
        var nine = Positions(JointLayouts.KinectV1, 9);
        for (int k = 10; k <= 12; k++)
        {
            float w = (float)((GridUs(k) - GridUs(9)) / (double)(t13 - GridUs(9)));
            for (int i = 0; i < Joints * 3; i++)
                Assert.Equal((1 - w) * nine[i] + w * late[i], window.Positions[k * Joints * 3 + i], 0.01f);
        }
        // In plain numbers: joint 0 x of frame 11 is 9000 + 4000·(2 / 4.15) ≈ 10928.
        Assert.Equal(10_927.7f, window.Positions[11 * Joints * 3], 0.1f);
        // The observed frames around the gap are untouched.
        Assert.Equal(nine, window.Positions.AsSpan(9 * Joints * 3, Joints * 3).ToArray());
        Assert.Equal(late, window.Positions.AsSpan(13 * Joints * 3, Joints * 3).ToArray());
    }

    [Fact]
    public void TheSegmentHoldsEveryGridFrameSinceTheStartInterpolatedGapsAndReplacementsIncluded()
    {
        var track = new BodyTrack("cam", 1, JointLayouts.KinectV1, 10, new WindowingOptions { Stride = 5, MaxGapFrames = 5, FramesPerSecond = 30 }, maxSegmentFrames: 40);
        for (int f = 0; f < 12; f++) track.Add(Frame(f));
        for (int f = 15; f < 30; f++) track.Add(Frame(f));           // frames 12-14 interpolated
        track.Add(At(GridUs(29) + 2000, Positions(JointLayouts.KinectV1, 29)));   // same grid frame, replaced (same values)

        var segment = track.TakeSegment(minFrames: 10);

        Assert.NotNull(segment);
        AssertFrames(segment, 0, 30, tolerance: 0.5f);
        Assert.Equal(0, segment.StartUs);
        Assert.Equal(GridUs(29), segment.EndUs);
        Assert.Null(track.TakeSegment(minFrames: 31));
    }

    [Fact]
    public void NoSegmentWhenOffWhenTheTrackOutgrowsItOrAfterAResetWithTooFewFrames()
    {
        var off = Track(windowFrames: 10);
        for (int f = 0; f < 12; f++) off.Add(Frame(f));
        Assert.Null(off.TakeSegment(1));

        var options = new WindowingOptions { Stride = 5, MaxGapFrames = 5, FramesPerSecond = 30 };
        var tooLong = new BodyTrack("cam", 1, JointLayouts.KinectV1, 10, options, maxSegmentFrames: 20);
        for (int f = 0; f < 21; f++) tooLong.Add(Frame(f));
        Assert.Null(tooLong.TakeSegment(1));

        // A long gap restarts the track, and the segment with it: only frames 40-44 remain, fewer than a window.
        var reset = new BodyTrack("cam", 1, JointLayouts.KinectV1, 10, options, maxSegmentFrames: 20);
        for (int f = 0; f < 21; f++) reset.Add(Frame(f));
        for (int f = 40; f < 45; f++) reset.Add(Frame(f));
        Assert.Null(reset.TakeSegment(10));
        Assert.Equal(5, reset.TakeSegment(1)!.FrameCount);
    }

    [Fact]
    public void LongGapResetsSoNoWindowStraddlesIt()
    {
        var track = Track(windowFrames: 10, stride: 5, maxGap: 5);
        var windows = new List<SkeletonWindow>();
        for (int f = 0; f < 15; f++) windows.AddRange(track.Add(Frame(f)));
        for (int f = 35; f < 60; f++) windows.AddRange(track.Add(Frame(f)));

        Assert.Equal(1, track.Resets);
        Assert.All(windows, w => Assert.True(w.EndUs <= GridUs(14) || w.StartUs >= GridUs(35), $"window {w.StartUs}..{w.EndUs} straddles the gap"));
        // Before: frames 0-9, 5-14. After: the grid restarts at 35, first full window ends at 44.
        // After the reset the grid is anchored on frame 35's own timestamp.
        long Regrid(int f) => GridUs(35) + (long)Math.Round((f - 35) * PeriodUs);
        Assert.Equal([GridUs(9), GridUs(14), Regrid(44), Regrid(49), Regrid(54), Regrid(59)], windows.Select(w => w.EndUs));
        AssertFrames(windows[2], 35, 10);
    }

    [Fact]
    public void GapOfExactlyMaxGapFramesIsStillFilled()
    {
        var track = Track(windowFrames: 10, stride: 1, maxGap: 5);
        Assert.Empty(track.Add(Frame(0)));
        // 5 missing frames: the observation at 6 fills 1..5 and then frame 6 (7 frames, no window yet).
        Assert.Empty(track.Add(Frame(6)));
        Assert.Equal(7, track.BufferedFrames);
        Assert.Equal(0, track.Resets);
        track.Add(Frame(7));
        track.Add(Frame(8));
        Assert.Equal(GridUs(0), Assert.Single(track.Add(Frame(9))).StartUs);

        var other = Track(windowFrames: 10, stride: 1, maxGap: 5);
        other.Add(Frame(0));
        other.Add(Frame(7)); // 6 missing: one too many
        Assert.Equal((1, 1), (other.Resets, other.BufferedFrames));
    }

    [Fact]
    public void FillingAGapCanCompleteSeveralWindows()
    {
        var track = Track(windowFrames: 4, stride: 1, maxGap: 5);
        for (int f = 0; f < 4; f++) track.Add(Frame(f));
        var windows = track.Add(Frame(7)); // fills 4, 5, 6 and adds 7
        Assert.Equal([GridUs(4), GridUs(5), GridUs(6), GridUs(7)], windows.Select(w => w.EndUs));
        AssertFrames(windows[^1], 4, 4, tolerance: 0.05f);
        Assert.Equal(windows[0].ReceivedUnixUs, windows[^1].ReceivedUnixUs);
    }

    [Fact]
    public void ObservationForAFilledGridFrameReplacesIt()
    {
        var track = Track(windowFrames: 3, stride: 1);
        track.Add(Frame(0));
        track.Add(Frame(1));
        // 60 fps style: a second observation 10 ms after frame 1 still rounds to grid frame 1.
        Assert.Empty(track.Add(At(GridUs(1) + 10_000, Positions(JointLayouts.KinectV1, 77))));
        var window = Assert.Single(track.Add(Frame(2)));
        Assert.Equal(Positions(JointLayouts.KinectV1, 77), window.Positions.AsSpan(Joints * 3, Joints * 3).ToArray());
        Assert.Equal(3, track.BufferedFrames);
    }

    [Fact]
    public void ObservationOlderThanTheNewestGridFrameIsIgnored()
    {
        var track = Track(windowFrames: 3, stride: 1);
        track.Add(Frame(0));
        track.Add(Frame(2));
        Assert.Empty(track.Add(At(GridUs(1), Positions(JointLayouts.KinectV1, 99))));
        Assert.Equal(GridUs(2), track.LastSeenUs);
    }

    [Fact]
    public void FifteenFpsInputIsResampledToThirty()
    {
        var track = Track(windowFrames: 5, stride: 5);
        SkeletonWindow? window = null;
        for (int f = 0; f <= 4; f += 2) window = track.Add(Frame(f)).SingleOrDefault() ?? window;
        Assert.NotNull(window);
        // Values are linear in time, so interpolation reproduces the missing odd frames exactly (up to float rounding).
        for (int f = 0; f < 5; f++)
            for (int i = 0; i < Joints * 3; i++)
                Assert.Equal(Positions(JointLayouts.KinectV1, f)[i], window.Positions[f * Joints * 3 + i], 0.05f);
    }

    [Fact]
    public void AzureKinectBodyFeedsAKinectV1ModelInMetresWithYUp()
    {
        var azure = JointLayouts.AzureKinect;
        var track = Track(windowFrames: 2, stride: 1, model: JointLayouts.KinectV1);
        float[] MillimetreFrame(int f)
        {
            // x, y, z in millimetres with +Y down, distinct per joint and frame.
            var p = new float[azure.JointCount * 3];
            for (int j = 0; j < azure.JointCount; j++)
                (p[j * 3], p[j * 3 + 1], p[j * 3 + 2]) = (100f * j + f, 200f + 10f * j, 2000f + j);
            return p;
        }
        track.Add(At(GridUs(0), MillimetreFrame(0), azure));
        var window = Assert.Single(track.Add(At(GridUs(1), MillimetreFrame(1), azure)));

        Assert.Equal(2 * 20 * 3, window.Positions.Length);
        Assert.Same(JointLayouts.KinectV1, window.Layout);
        float[] Joint(int frame, string name)
        {
            int j = JointLayouts.KinectV1.IndexOf(name);
            return window.Positions.AsSpan((frame * 20 + j) * 3, 3).ToArray();
        }
        int pelvis = azure.IndexOf("PELVIS"), neck = azure.IndexOf("NECK");
        int navel = azure.IndexOf("SPINE_NAVEL"), chest = azure.IndexOf("SPINE_CHEST");
        // HipCenter = PELVIS: mm → m, X and Y flipped (Azure is the Kinect frame turned 180° about Z).
        Assert.Equal(new[] { -(100f * pelvis + 1) / 1000, -(200f + 10 * pelvis) / 1000, (2000f + pelvis) / 1000 }, Joint(1, "HipCenter"), new Tolerance(1e-5f));
        Assert.Equal(new[] { -(100f * neck) / 1000, -(200f + 10 * neck) / 1000, (2000f + neck) / 1000 }, Joint(0, "ShoulderCenter"), new Tolerance(1e-5f));
        Assert.Equal(-(200f + 5 * (navel + chest)) / 1000, Joint(0, "Spine")[1], 1e-5f);
        // And the whole window agrees with the model library's own mapping.
        var expected = LayoutMapping.Between(azure, JointLayouts.KinectV1)
            .Apply(new SkeletonSequence(azure, [.. MillimetreFrame(0), .. MillimetreFrame(1)])).ToArray();
        Assert.Equal(expected, window.Positions);
    }

    [Fact]
    public void UnmappableLayoutThrows()
    {
        var track = Track(model: JointLayouts.KinectV2);
        Assert.Throws<ArgumentException>(() => track.Add(At(0, Positions(JointLayouts.KinectV1, 0), JointLayouts.KinectV1)));
    }

    [Fact]
    public void StrideLongerThanTheWindowIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => Track(windowFrames: 5, stride: 6));
        Assert.Contains("Stride (6) exceeds the model's window length (5)", error.Message);
    }

    private sealed class Tolerance(float epsilon) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= epsilon;

        public int GetHashCode(float obj) => 0;
    }
}
