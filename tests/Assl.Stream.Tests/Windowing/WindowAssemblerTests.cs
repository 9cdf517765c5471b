using Assl.Model.Skeletons;
using Assl.Stream.Windowing;
using static Assl.Stream.Tests.Windowing.Observations;

namespace Assl.Stream.Tests.Windowing;

public sealed class WindowAssemblerTests
{
    private static WindowAssembler Assembler(int windowFrames = 4, int stride = 2, int timeoutMs = 1000, int maxBodies = 1024) =>
        new(JointLayouts.KinectV1, windowFrames, new WindowingOptions { Stride = stride, BodyTimeoutMs = timeoutMs, MaxBodies = maxBodies });

    [Fact]
    public void TwoCamerasWithTheSameBodyIdStayApart()
    {
        var assembler = Assembler(windowFrames: 4, stride: 4);
        var windows = new List<SkeletonWindow>();
        for (int f = 0; f < 8; f++)
        {
            windows.AddRange(assembler.Add(Frame(f, camera: "left", body: 1)));
            // The right camera's body 1 shows frame numbers offset by 500, on a clock 7 ms later.
            windows.AddRange(assembler.Add(At(GridUs(f) + 7_000, Positions(JointLayouts.KinectV1, 500 + f), camera: "right", body: 1)));
        }

        Assert.Equal(2, assembler.LiveBodies);
        Assert.Equal(4, windows.Count);
        foreach (var w in windows)
        {
            float firstFrame = w.Positions[0] / 1000f;
            Assert.True(w.CameraId == "left" ? firstFrame < 100 : firstFrame >= 500, $"{w.CameraId} window starts with frame {firstFrame}");
            Assert.Equal(1ul, w.BodyId);
        }
    }

    [Fact]
    public void SweepClosesBodiesNotSeenForTheTimeoutAndFreesThem()
    {
        var assembler = Assembler(timeoutMs: 1000);
        assembler.Add(Frame(0, body: 1));
        assembler.Add(Frame(0, body: 2));
        assembler.Add(Frame(3, body: 2));
        long lastSeen1 = GridUs(0);

        Assert.Empty(assembler.Sweep("cam", lastSeen1 + 999_999));
        var ended = Assert.Single(assembler.Sweep("cam", lastSeen1 + 1_000_000));
        Assert.Equal(new BodyEnded("cam", 1, lastSeen1, BodyEndReason.TimedOut), ended);
        Assert.Equal(1, assembler.LiveBodies);
        Assert.Empty(assembler.Sweep("cam", lastSeen1 + 1_000_000));
        Assert.Empty(assembler.Sweep("other-camera", long.MaxValue));

        // Body 1 coming back starts a fresh buffer: its first window needs 4 new frames.
        for (int f = 100; f < 103; f++) Assert.Empty(assembler.Add(Frame(f, body: 1)));
        Assert.Single(assembler.Add(Frame(103, body: 1)));
    }

    [Fact]
    public void SweepIdleUsesTheServerClockAcrossCameras()
    {
        var assembler = Assembler(timeoutMs: 100);
        assembler.Add(At(0, Positions(JointLayouts.KinectV1, 0), camera: "a", receivedUnixUs: 1_000_000));
        assembler.Add(At(0, Positions(JointLayouts.KinectV1, 0), camera: "b", receivedUnixUs: 1_050_000));
        var ended = assembler.SweepIdle(1_120_000);
        Assert.Equal("a", Assert.Single(ended).CameraId);
        Assert.Equal(1, assembler.LiveBodies);
    }

    [Fact]
    public void ClosingACameraEndsAllItsBodies()
    {
        var assembler = Assembler();
        assembler.Add(Frame(0, camera: "a", body: 1));
        assembler.Add(Frame(0, camera: "a", body: 2));
        assembler.Add(Frame(0, camera: "b", body: 1));

        var ended = assembler.CloseCamera("a");
        Assert.Equal([1ul, 2ul], ended.Select(e => e.BodyId).Order());
        Assert.All(ended, e => Assert.Equal(BodyEndReason.CameraClosed, e.Reason));
        Assert.Equal(1, assembler.LiveBodies);
        Assert.Empty(assembler.CloseCamera("a"));

        // The camera can come back (a new stream) and starts from scratch.
        assembler.Add(Frame(50, camera: "a", body: 1));
        Assert.Equal(2, assembler.LiveBodies);
    }

    [Fact]
    public void BodiesPastTheLimitAreRefusedAndCounted()
    {
        var assembler = Assembler(windowFrames: 1, stride: 1, maxBodies: 2);
        Assert.Single(assembler.Add(Frame(0, body: 1)));
        Assert.Single(assembler.Add(Frame(0, body: 2)));
        Assert.Empty(assembler.Add(Frame(0, body: 3)));
        Assert.Empty(assembler.Add(Frame(1, body: 3)));
        Assert.Equal((2, 2L), (assembler.LiveBodies, assembler.RefusedObservations));

        // Known bodies keep going, and a freed slot admits the new body.
        Assert.Single(assembler.Add(Frame(1, body: 1)));
        assembler.Sweep("cam", GridUs(1) + 1_000_000);
        Assert.Single(assembler.Add(Frame(40, body: 3)));
    }

    [Fact]
    public void ManyStreamsAtOnceKeepEveryBodyConsistent()
    {
        var assembler = Assembler(windowFrames: 10, stride: 5);
        var counts = new int[8];
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, camera =>
        {
            for (int f = 0; f < 200; f++)
            {
                for (ulong body = 1; body <= 3; body++)
                {
                    foreach (var w in assembler.Add(Frame(f, camera: $"cam-{camera}", body: body)))
                    {
                        Assert.Equal($"cam-{camera}", w.CameraId);
                        Assert.Equal(GridUs((int)(w.Positions[9 * 60] / 1000)), w.EndUs); // the last frame's joint 0 x encodes its frame
                        Interlocked.Increment(ref counts[camera]);
                    }
                }
            }
        });
        // Per body: windows end at frames 9, 14, ..., 199 → 39; three bodies per camera.
        Assert.All(counts, c => Assert.Equal(3 * 39, c));
        Assert.Equal(24, assembler.LiveBodies);
    }

    [Fact]
    public void WindowLengthMustCoverTheStride()
    {
        Assert.Throws<ArgumentException>(() => Assembler(windowFrames: 3, stride: 4));
        Assert.Null(new WindowingOptions { Stride = 4 }.CheckWindowLength(4));
        Assert.NotNull(new WindowingOptions().CheckWindowLength(0));
    }

    [Theory]
    [InlineData(0, 30, 5, 1000, 1024)]
    [InlineData(10, 0, 5, 1000, 1024)]
    [InlineData(10, 30, -1, 1000, 1024)]
    [InlineData(10, 30, 5, 0, 1024)]
    [InlineData(10, 30, 5, 1000, 0)]
    public void OptionsValidatorRejectsOutOfRangeValues(int stride, double fps, int maxGap, int timeoutMs, int maxBodies)
    {
        var options = new WindowingOptions { Stride = stride, FramesPerSecond = fps, MaxGapFrames = maxGap, BodyTimeoutMs = timeoutMs, MaxBodies = maxBodies };
        Assert.True(new ValidateWindowingOptions().Validate(null, options).Failed);
        Assert.True(new ValidateWindowingOptions().Validate(null, new WindowingOptions()).Succeeded);
    }
}
