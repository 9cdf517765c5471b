using Assl.Stream.Events;

namespace Assl.Stream.Tests.Events;

public sealed class ActionStateMachineTests
{
    private static readonly string[] Classes = ["wave", "sit", "walk", "fall"];

    private int _window;

    private static ActionStateMachine Machine(EventOptions? options = null) =>
        new("cam", 9, Classes, options ?? new EventOptions());

    /// <summary>Feeds one window (1 s long, 10 windows a second) and returns its events.</summary>
    private IReadOnlyList<ActionEventRecord> Feed(ActionStateMachine machine, params float[] p)
    {
        int i = _window++;
        return machine.OnWindow(p, i * 100_000, i * 100_000 + 1_000_000, "v1", 5_000 + i);
    }

    private static float[] OneHot(int c, float high = 1f)
    {
        var p = Enumerable.Repeat((1 - high) / 3, 4).ToArray();
        p[c] = high;
        return p;
    }

    private static readonly float[] Uniform = [0.25f, 0.25f, 0.25f, 0.25f];

    [Fact]
    public void StartsAfterMinStartWindowsOfTheSameConfidentClass()
    {
        var m = Machine();
        Assert.Empty(Feed(m, OneHot(1, 0.9f)));
        var started = Assert.Single(Feed(m, OneHot(1, 0.9f)));

        Assert.Equal((ActionEventKind.Started, 1, "sit"), (started.Kind, started.ClassIndex, started.ClassName));
        Assert.Equal(0.9f, started.Confidence, 1e-6f);
        Assert.Equal(("cam", 9ul, "v1"), (started.CameraId, started.BodyId, started.ModelVersion));
        Assert.Equal((100_000L, 1_100_000L, 5_001L), (started.WindowStartUs, started.WindowEndUs, started.ServerReceivedUnixUs));
        Assert.Equal(1, m.ActiveClass);
    }

    [Fact]
    public void ChangingTopClassRestartsTheStreak()
    {
        var m = Machine();
        Assert.Empty(Feed(m, OneHot(0)));
        // Smoothed: wave 0.5, sit 0.5 → top is wave (lower index) at 0.5 < 0.6: streak cleared.
        Assert.Empty(Feed(m, OneHot(1)));
        Assert.Empty(Feed(m, OneHot(1))); // sit 0.75: streak 1
        Assert.Equal(ActionEventKind.Started, Assert.Single(Feed(m, OneHot(1))).Kind);
    }

    [Fact]
    public void SmoothingIsAnExponentialMovingAverage()
    {
        var m = Machine(new EventOptions { SmoothingAlpha = 0.25 });
        Feed(m, 0.8f, 0.2f, 0f, 0f);
        Feed(m, 0f, 0f, 1f, 0f);
        Assert.Equal([0.6f, 0.15f, 0.25f, 0f], m.Smoothed, new Near());
    }

    [Fact]
    public void OngoingEveryWindowThenEndsWithHysteresis()
    {
        var m = Machine();
        Feed(m, OneHot(0));
        Feed(m, OneHot(0)); // Started wave

        var ongoing = Assert.Single(Feed(m, OneHot(0)));
        Assert.Equal((ActionEventKind.Ongoing, 0), (ongoing.Kind, ongoing.ClassIndex));

        // wave smoothed: 0.5 (≥ E) → Ongoing; walk at 0.5 cannot start while wave is active.
        Assert.Equal(ActionEventKind.Ongoing, Assert.Single(Feed(m, OneHot(2))).Kind);
        // wave 0.25 < E: first window below, still Ongoing with the low confidence.
        var low = Assert.Single(Feed(m, OneHot(2)));
        Assert.Equal((ActionEventKind.Ongoing, 0.25f), (low.Kind, low.Confidence));
        // wave 0.125: second window below → Ended; walk (0.875) begins its streak in the same window.
        var ended = Assert.Single(Feed(m, OneHot(2)));
        Assert.Equal((ActionEventKind.Ended, 0, "wave"), (ended.Kind, ended.ClassIndex, ended.ClassName));
        Assert.Equal(-1, m.ActiveClass);

        var next = Assert.Single(Feed(m, OneHot(2)));
        Assert.Equal((ActionEventKind.Started, 2), (next.Kind, next.ClassIndex));
    }

    [Fact]
    public void OneWindowBackAboveTheEndThresholdResetsTheEndCount()
    {
        var m = Machine(new EventOptions { SmoothingAlpha = 1 });
        Feed(m, OneHot(0));
        Feed(m, OneHot(0));
        Assert.Equal(ActionEventKind.Ongoing, Feed(m, OneHot(0, 0.3f)).Single().Kind);
        Assert.Equal(ActionEventKind.Ongoing, Feed(m, OneHot(0, 0.45f)).Single().Kind);
        Assert.Equal(ActionEventKind.Ongoing, Feed(m, OneHot(0, 0.3f)).Single().Kind);
        Assert.Equal(ActionEventKind.Ended, Feed(m, OneHot(0, 0.3f)).First().Kind);
    }

    [Fact]
    public void UnknownIsEmittedOncePerEntry()
    {
        var m = Machine(new EventOptions { SmoothingAlpha = 1 });
        var unknown = Assert.Single(Feed(m, Uniform));
        Assert.Equal((ActionEventKind.Unknown, -1, ""), (unknown.Kind, unknown.ClassIndex, unknown.ClassName));
        Assert.Equal(0.25f, unknown.Confidence);
        Assert.Empty(Feed(m, Uniform));
        Assert.Empty(Feed(m, Uniform));

        Assert.Empty(Feed(m, OneHot(3, 0.5f))); // neither unknown nor confident: re-arms
        Assert.Equal(ActionEventKind.Unknown, Assert.Single(Feed(m, Uniform)).Kind);
    }

    [Fact]
    public void EndingIntoLowScoresReportsEndedThenUnknown()
    {
        var m = Machine(new EventOptions { SmoothingAlpha = 1, MinEndWindows = 1 });
        Feed(m, OneHot(0));
        Feed(m, OneHot(0));
        var events = Feed(m, Uniform);
        Assert.Equal([ActionEventKind.Ended, ActionEventKind.Unknown], events.Select(e => e.Kind));
    }

    [Fact]
    public void NoUnknownWhileAnActionIsActive()
    {
        var m = Machine(new EventOptions { SmoothingAlpha = 1, MinEndWindows = 5 });
        Feed(m, OneHot(0));
        Feed(m, OneHot(0));
        for (int i = 0; i < 4; i++)
            Assert.Equal(ActionEventKind.Ongoing, Assert.Single(Feed(m, Uniform)).Kind);
    }

    [Fact]
    public void CloseEndsTheActiveActionWithTheLastWindowsTimes()
    {
        var m = Machine();
        Assert.Empty(m.Close());
        Feed(m, OneHot(3));
        Feed(m, OneHot(3));
        Feed(m, OneHot(3));
        var ended = Assert.Single(m.Close());
        Assert.Equal((ActionEventKind.Ended, 3, "fall"), (ended.Kind, ended.ClassIndex, ended.ClassName));
        Assert.Equal((200_000L, 1_200_000L), (ended.WindowStartUs, ended.WindowEndUs));
        Assert.Empty(m.Close());
        Assert.Equal(-1, m.ActiveClass);
    }

    [Fact]
    public void TopKIsSortedWithTiesByIndex()
    {
        var m = Machine(new EventOptions { TopK = 3, UnknownThreshold = 0.35 });
        var e = Assert.Single(Feed(m, 0.1f, 0.3f, 0.3f, 0.3f));
        Assert.Equal([(1, "sit"), (2, "walk"), (3, "fall")], e.TopK.Select(s => (s.ClassIndex, s.ClassName)));

        var wide = Machine(new EventOptions { TopK = 10 });
        Assert.Equal(4, Feed(wide, Uniform).Single().TopK.Count);
    }

    [Fact]
    public void WrongProbabilityCountThrows()
    {
        Assert.Throws<ArgumentException>(() => Machine().OnWindow([0.5f, 0.5f], 0, 1, "v1", 0));
    }

    [Fact]
    public void ValidatorChecksRangesAndHysteresis()
    {
        var validator = new ValidateEventOptions();
        Assert.True(validator.Validate(null, new EventOptions()).Succeeded);
        Assert.True(validator.Validate(null, new EventOptions { SmoothingAlpha = 0 }).Failed);
        Assert.True(validator.Validate(null, new EventOptions { MinStartWindows = 0 }).Failed);
        var inverted = validator.Validate(null, new EventOptions { StartThreshold = 0.5, EndThreshold = 0.7 });
        Assert.True(inverted.Failed);
        Assert.Contains("EndThreshold (0.7) must not exceed StartThreshold (0.5)", inverted.FailureMessage);
        Assert.True(validator.Validate(null, new EventOptions { UnknownThreshold = 0.9 }).Failed);
    }

    private sealed class Near : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) < 1e-6f;

        public int GetHashCode(float obj) => 0;
    }
}
