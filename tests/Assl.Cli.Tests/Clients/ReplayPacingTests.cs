using System.Diagnostics;
using Assl.Cli.Clients;
using Assl.Model.Skeletons;
using Assl.Stream.Ingest;
using Assl.Stream.Windowing;

namespace Assl.Cli.Tests.Clients;

public sealed class ReplayPacingTests
{
    [Theory]
    [InlineData(1.0, 1000.0)]
    [InlineData(2.0, 500.0)]
    [InlineData(0.5, 2000.0)]
    [InlineData(0.0, 0.0)]
    public void SpeedScalesTheDueTime(double speed, double expectedMs) =>
        Assert.Equal(expectedMs, ReplayPacer.DueAfter(timestampUs: 3_000_000, originUs: 2_000_000, speed).TotalMilliseconds, 6);

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void BadSpeedsAreRefused(double speed) =>
        Assert.Throws<ArgumentException>(() => new ReplayPacer(speed, 0));

    [Fact]
    public async Task PacingWaitsForTheScaledTimestamps()
    {
        // One second of 30 fps camera time at speed 10: at least 100 ms (the upper bound only guards
        // against hangs, this machine may be busy).
        var pacer = new ReplayPacer(10, originUs: 0);
        var clock = Stopwatch.StartNew();
        for (int t = 0; t <= 30; t++) await pacer.WaitAsync(t * 33_333L, CancellationToken.None);
        Assert.InRange(clock.ElapsedMilliseconds, 95, 5000);
    }

    [Fact]
    public void DueTimesAreAbsoluteSoLatenessDoesNotAccumulate()
    {
        var pacer = new ReplayPacer(1, originUs: 0, maxCatchUp: TimeSpan.FromMinutes(1));
        Thread.Sleep(150);
        // Frames due before now go out at once to catch up, instead of each waiting a full period.
        Assert.True(pacer.WaitAsync(33_333, CancellationToken.None).IsCompleted);
        Assert.True(pacer.WaitAsync(100_000, CancellationToken.None).IsCompleted);
        Assert.False(pacer.WaitAsync(60_000_000, CancellationToken.None).IsCompleted);
        Assert.True(new ReplayPacer(0, 0).WaitAsync(60_000_000, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task AReplayFarBehindMovesItsClockOnInsteadOfSendingTheBacklogInABurst()
    {
        var pacer = new ReplayPacer(1, originUs: 0);
        Thread.Sleep(ReplayPacer.DefaultMaxCatchUp + TimeSpan.FromMilliseconds(300));
        // Far behind: the frame goes out now and becomes the new reference point...
        var clock = Stopwatch.StartNew();
        Assert.True(pacer.WaitAsync(33_333, CancellationToken.None).IsCompleted);
        // ...so the next one, 200 ms of camera time later, waits about 200 ms instead of going out at once.
        await pacer.WaitAsync(233_333, CancellationToken.None);
        Assert.InRange(clock.ElapsedMilliseconds, 150, 5000);
    }

    [Fact]
    public void LatencyIsTakenFromTheFrameThatCompletedTheWindow()
    {
        var log = new SendTimeLog();
        log.Add(4_266_634, 100);
        log.Add(4_299_967, 200); // 33 µs before the grid point the window ends on
        log.Add(4_333_300, 300);
        Assert.Equal(200, log.SentCompleting(4_300_000));
        Assert.Equal(300, log.SentCompleting(4_333_300));
        Assert.Equal(300, log.SentCompleting(9_000_000));
        Assert.Null(new SendTimeLog().SentCompleting(1));
    }

    /// <summary>
    /// A clip played in slow motion sends a frame every few grid periods; the server fills the grid frames
    /// between two frames when the later one arrives, and a window can end on one of those. Its latency
    /// runs from that later frame, even where the window end is nearer the earlier one.
    /// </summary>
    [Theory]
    [InlineData(30.0, 4.0)]
    [InlineData(30.0, 2.6)]
    [InlineData(15.0, 1.0)]
    public void SlowMotionWindowsAreTimedFromTheFrameThatLetTheServerEmitThem(double gridFps, double stretch)
    {
        var layout = JointLayouts.KinectV1;
        var track = new BodyTrack("cam", 1, layout, windowFrames: 20,
            new WindowingOptions { Stride = 3, MaxGapFrames = 10, FramesPerSecond = gridFps });
        var log = new SendTimeLog(1e6 / gridFps);
        int windows = 0;
        for (int i = 0; i < 120; i++)
        {
            long stamp = 1_000_000 + (long)Math.Round(i * stretch * 33_333.3);
            log.Add(stamp, sentTicks: i);
            var positions = Enumerable.Range(0, layout.JointCount * 3).Select(k => (float)Math.Sin(i + k)).ToArray();
            foreach (var window in track.Add(new BodyObservation("cam", 1, layout, stamp, positions, null, ReceivedUnixUs: i)))
            {
                Assert.Equal(i, log.SentCompleting(window.EndUs));
                windows++;
            }
        }
        Assert.True(windows > 5, $"only {windows} windows");
    }

    [Fact]
    public void TrackingIdsMapOntoWireIds()
    {
        Assert.Equal(72057594037931101UL, BodyIds.FromTrackingId("72057594037931101"));
        Assert.Equal(BodyIds.FromTrackingId("person-a"), BodyIds.FromTrackingId("person-a"));
        Assert.NotEqual(BodyIds.FromTrackingId("person-a"), BodyIds.FromTrackingId("person-b"));
        Assert.Equal(3UL, BodyIds.ForPlay(3, 0));
        Assert.NotEqual(BodyIds.ForPlay(3, 1), BodyIds.ForPlay(3, 2));
    }
}
