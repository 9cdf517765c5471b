using Assl.Model.Skeletons;
using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Windowing;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class PseudoLabelGateTests
{
    private static SkeletonWindow Window(ulong body = 1, string camera = "cam") =>
        new(camera, body, 0, 1_000_000, new float[50 * 20 * 3], JointLayouts.KinectV1, 0);

    private static float[] Confident(int cls, float p = 0.97f)
    {
        var probs = Enumerable.Repeat((1 - p) / 9, 10).ToArray();
        probs[cls] = p;
        return probs;
    }

    private static PseudoLabelGate Gate(int consecutive = 3, int maxPerClass = 100, double unlabelledShare = 0) =>
        new(new PseudoLabelOptions { ConsecutiveWindows = consecutive, MaxPerClass = maxPerClass, UnlabelledShare = unlabelledShare }, new PseudoLabelQuota(maxPerClass));

    private static PseudoLabelGate SegmentGate(int maxPerClass = 100) =>
        new(new PseudoLabelOptions { ConsecutiveWindows = 1, MaxPerClass = maxPerClass, UnlabelledShare = 0, Samples = SampleForm.Segments },
            new PseudoLabelQuota(maxPerClass), windowFrames: 50);

    /// <summary>An ended body whose track held <paramref name="frames"/> frames, frame f's values all equal to f.</summary>
    private static BodyEnded Ended(int frames, ulong body = 1)
    {
        var positions = new float[frames * 20 * 3];
        for (int f = 0; f < frames; f++) positions.AsSpan(f * 60, 60).Fill(f);
        return new BodyEnded("cam", body, 9_000_000, BodyEndReason.TimedOut,
            new SkeletonWindow("cam", body, 1_000_000, 9_000_000, positions, JointLayouts.KinectV1, 42));
    }

    [Fact]
    public void WithSegmentsTheWindowsVoteAndTheEndedBodysWholeTrackIsStoredWithTheMajorityClassResampledToT()
    {
        var gate = SegmentGate();
        Assert.Equal(GateDecision.Voted, gate.Observe(Window(), Confident(4, 0.96f), "v1").Decision);
        Assert.Null(gate.Observe(Window(), Confident(4, 0.98f), "v1").Command);
        Assert.Equal(GateDecision.Voted, gate.Observe(Window(), Confident(7), "v2").Decision);

        var (decision, classIndex, command, unlabelled) = gate.End(Ended(frames: 99));

        Assert.Equal(GateDecision.SegmentAccepted, decision);
        Assert.Equal(4, classIndex);
        var add = Assert.IsType<StoreCommand.AddWindow>(command);
        Assert.Equal(SampleKind.PseudoLabelled, add.Kind);
        Assert.Equal(4, add.Label!.ClassIndex);
        Assert.Equal(0.97f, add.Label.Confidence, 1e-5f);
        Assert.Equal("v2", add.Label.ModelVersion);
        Assert.Equal(50 * 60, add.Window.Positions.Length);
        // 99 frames onto 50: the first and last survive, frame i lands on 2i.
        Assert.Equal(0f, add.Window.Positions[0]);
        Assert.Equal(20f, add.Window.Positions[10 * 60], 1e-3f);
        Assert.Equal(98f, add.Window.Positions[^1]);
        Assert.Equal((1_000_000L, 9_000_000L, 42L), (add.Window.StartUs, add.Window.EndUs, add.Window.CapturedUnixUs));
        Assert.Null(unlabelled); // unlabelled data stays windows unless asked

        // The votes went with the body.
        Assert.Null(gate.End(Ended(frames: 99)).Decision);
    }

    [Fact]
    public void ASegmentNeedsVotesATrackAndRoomInItsClass()
    {
        var gate = SegmentGate(maxPerClass: 1);
        Assert.Null(gate.End(Ended(frames: 60)).Command);                               // no window voted
        gate.Observe(Window(body: 2), Confident(3), "v");
        Assert.Null(gate.End(Ended(frames: 60, body: 2) with { Segment = null }).Command);  // the track kept no segment
        gate.Observe(Window(body: 3), Confident(3), "v");
        Assert.Equal(GateDecision.SegmentAccepted, gate.End(Ended(frames: 60, body: 3)).Decision);
        gate.Observe(Window(body: 4), Confident(3), "v");
        Assert.Equal(GateDecision.ClassFull, gate.End(Ended(frames: 60, body: 4)).Decision);

        // With window samples (the default) an ended body adds nothing.
        var windows = Gate(consecutive: 1);
        windows.Observe(Window(body: 5), Confident(3), "v");
        Assert.Null(windows.End(Ended(frames: 60, body: 5)).Decision);
    }

    [Fact]
    public void AcceptsOnlyAfterTheSameConfidentClassHoldsForSeveralWindows()
    {
        var gate = Gate(consecutive: 3);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(), Confident(4), "v1").Decision);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(), Confident(4), "v1").Decision);
        var (decision, command, _) = gate.Observe(Window(), Confident(4), "v1");

        Assert.Equal(GateDecision.Accepted, decision);
        var add = Assert.IsType<StoreCommand.AddWindow>(command);
        Assert.Equal(SampleKind.PseudoLabelled, add.Kind);
        Assert.Equal(new PseudoLabel(4, 0.97f, "v1"), add.Label);
    }

    [Fact]
    public void ClassChangeOrLowConfidenceRestartsTheRun()
    {
        var gate = Gate(consecutive: 2);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(), Confident(1), "v").Decision);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(), Confident(2), "v").Decision);
        Assert.Equal(GateDecision.LowConfidence, gate.Observe(Window(), Confident(2, 0.6f), "v").Decision);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(), Confident(2), "v").Decision);
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(), Confident(2), "v").Decision);
    }

    [Fact]
    public void BodiesAndCamerasKeepSeparateRuns()
    {
        var gate = Gate(consecutive: 2);
        gate.Observe(Window(1, "a"), Confident(3), "v");
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(1, "b"), Confident(3), "v").Decision);
        Assert.Equal(GateDecision.Unstable, gate.Observe(Window(2, "a"), Confident(3), "v").Decision);
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(1, "a"), Confident(3), "v").Decision);
    }

    [Fact]
    public void PerClassCapKeepsThePoolBalanced()
    {
        var gate = Gate(consecutive: 1, maxPerClass: 2);
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(), Confident(0), "v").Decision);
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(), Confident(0), "v").Decision);
        Assert.Equal(GateDecision.ClassFull, gate.Observe(Window(), Confident(0), "v").Decision);
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(), Confident(1), "v").Decision);
    }

    [Fact]
    public void WithUnlabelledSegmentsEveryEndedBodysWholeTrackIsKeptUnlabelledAndNoWindowIs()
    {
        var gate = new PseudoLabelGate(new PseudoLabelOptions { ConsecutiveWindows = 1, UnlabelledShare = 1, UnlabelledSamples = SampleForm.Segments },
            new PseudoLabelQuota(100), windowFrames: 50);

        // Windows still become pseudo-labels, but none is kept unlabelled, whatever the share says.
        var observed = gate.Observe(Window(), Confident(2), "v");
        Assert.Equal(GateDecision.Accepted, observed.Decision);
        Assert.Null(observed.Unlabelled);
        Assert.Null(gate.Observe(Window(body: 2), Confident(2, 0.3f), "v").Unlabelled);

        // Confident or not, each ended body leaves its track, resampled to T and without a label.
        foreach (ulong body in new ulong[] { 1, 2 })
        {
            var (decision, _, command, unlabelled) = gate.End(Ended(frames: 99, body));
            Assert.Null(decision);
            Assert.Null(command);
            var add = Assert.IsType<StoreCommand.AddWindow>(unlabelled);
            Assert.Equal(SampleKind.Unlabelled, add.Kind);
            Assert.Null(add.Label);
            Assert.Equal(body, add.Window.BodyId);
            Assert.Equal(50 * 60, add.Window.Positions.Length);
            Assert.Equal(98f, add.Window.Positions[^1]);
        }
        Assert.Null(gate.End(Ended(frames: 99, body: 3) with { Segment = null }).Unlabelled); // the track kept no segment

        // Both at once: the same track is one pseudo-labelled and one unlabelled sample.
        var both = new PseudoLabelGate(new PseudoLabelOptions { ConsecutiveWindows = 1, Samples = SampleForm.Segments, UnlabelledSamples = SampleForm.Segments },
            new PseudoLabelQuota(100), windowFrames: 50);
        both.Observe(Window(), Confident(6), "v");
        var ended = both.End(Ended(frames: 60));
        Assert.Equal(GateDecision.SegmentAccepted, ended.Decision);
        Assert.Equal(SampleKind.PseudoLabelled, Assert.IsType<StoreCommand.AddWindow>(ended.Command).Kind);
        Assert.Equal(SampleKind.Unlabelled, Assert.IsType<StoreCommand.AddWindow>(ended.Unlabelled).Kind);
    }

    [Fact]
    public void AnEvenShareOfAllWindowsIsKeptUnlabelled()
    {
        var gate = Gate(unlabelledShare: 0.25);
        int kept = Enumerable.Range(0, 100).Count(i => gate.Observe(Window(), Confident(i % 10, 0.3f), "v").Unlabelled is not null);
        Assert.Equal(25, kept);
    }

    [Fact]
    public void ClassAdaptiveThresholdsLowerTheBarForRarelyConfidentClassesButNotBelowTheFloor()
    {
        var options = new PseudoLabelOptions { ClassAdaptive = true, Threshold = 0.95, MinThreshold = 0.8, AdaptiveWarmupWindows = 10, ConsecutiveWindows = 1 };
        var thresholds = new ClassThresholds(options);
        var gate = new PseudoLabelGate(options, new PseudoLabelQuota(1000), thresholds);

        // Before the warm-up every class needs the fixed bar.
        Assert.Equal(GateDecision.LowConfidence, gate.Observe(Window(9), Confident(2, 0.9f), "v").Decision);
        for (int i = 0; i < 12; i++) gate.Observe(Window(), Confident(4), "v");   // class 4: easy, confident 12 times
        for (int i = 0; i < 11; i++) gate.Observe(Window(5), Confident(5), "v");  // class 5: 11 times
        for (int i = 0; i < 4; i++) gate.Observe(Window(2), Confident(2), "v");   // class 2: 4 times

        Assert.Equal(0.95, thresholds.For(4), 6);
        double beta = 11.0 / 12;
        Assert.Equal(0.95 * beta / (2 - beta), thresholds.For(5), 6); // FlexMatch's mapping: 0.80 …
        Assert.Equal(0.8, thresholds.For(2), 6);                       // … (0.19 for class 2) but never below the floor
        Assert.Equal(0.8, thresholds.For(7), 6);                       // never confident: the floor
        Assert.Equal(GateDecision.Accepted, gate.Observe(Window(3), Confident(2, 0.85f), "v").Decision);
        Assert.Equal(GateDecision.LowConfidence, gate.Observe(Window(3), Confident(4, 0.85f), "v").Decision);
        Assert.Equal(GateDecision.LowConfidence, gate.Observe(Window(3), Confident(7, 0.75f), "v").Decision);

        // Off (the default), every class keeps the fixed bar whatever was seen.
        var fixedBar = new ClassThresholds(new PseudoLabelOptions());
        fixedBar.Observe(4, 0.99);
        Assert.Equal(0.95, fixedBar.For(7));
    }
}

public sealed class PseudoLabelQuotaTests
{
    [Fact]
    public void SyncingWithTheStoreRestoresCapsAndFreesWhatRetentionDeleted()
    {
        var quota = new Assl.Stream.OnlineLearning.Gate.PseudoLabelQuota(maxPerClass: 3);
        quota.Sync(new Dictionary<int, long> { [1] = 3, [2] = 1 });
        Assert.False(quota.TryTake(1));
        Assert.True(quota.TryTake(2));
        Assert.True(quota.TryTake(0));

        quota.Sync(new Dictionary<int, long> { [1] = 1 }); // retention deleted two of class 1
        Assert.True(quota.TryTake(1));
        Assert.Equal(2, quota.Taken(1));
        Assert.Equal(0, quota.Taken(2));
    }
}
