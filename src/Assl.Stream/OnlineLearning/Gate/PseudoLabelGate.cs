using Assl.Model.Preprocessing;
using Assl.Stream.OnlineLearning.Store;
using Assl.Stream.Windowing;

namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>
/// Decides which served windows become training samples: a pseudo-label when the smoothed top class
/// is confident and has held for several consecutive windows of the same body (a single confident
/// window is too often a transition), under a per-class cap; and, independently, an evenly spread
/// share of all windows as unlabelled data.
/// </summary>
/// <remarks>
/// One instance per Ingest call, used only by that call's delivery loop, so it needs no locks. The
/// per-class counts are shared through <see cref="PseudoLabelQuota"/>, the per-class bars through <see cref="ClassThresholds"/>.
/// </remarks>
/// <param name="windowFrames">The model's T: segments are resampled to it. Needed only for <see cref="SampleForm.Segments"/>.</param>
public sealed class PseudoLabelGate(PseudoLabelOptions options, PseudoLabelQuota quota, ClassThresholds? thresholds = null, int windowFrames = 0)
{
    private readonly ClassThresholds _thresholds = thresholds ?? new ClassThresholds(options);

    private readonly Dictionary<(string Camera, ulong Body), (int Class, int Run)> _runs = [];
    private readonly Dictionary<(string Camera, ulong Body), SegmentVotes> _votes = [];
    private double _unlabelledCredit;

    /// <param name="smoothed">The body's smoothed class probabilities after this window.</param>
    /// <returns>The decision, and the store command to queue (null when nothing is kept).</returns>
    public (GateDecision Decision, StoreCommand? Command, StoreCommand? Unlabelled) Observe(SkeletonWindow window, IReadOnlyList<float> smoothed, string modelVersion)
    {
        var sample = SampleWindow.From(window);
        StoreCommand? unlabelled = null;
        if (options.UnlabelledSamples == SampleForm.Windows) _unlabelledCredit += options.UnlabelledShare;
        if (_unlabelledCredit >= 1)
        {
            _unlabelledCredit -= 1;
            unlabelled = StoreCommand.AddUnlabelled(sample);
        }

        int top = 0;
        for (int c = 1; c < smoothed.Count; c++) if (smoothed[c] > smoothed[top]) top = c;
        float confidence = smoothed[top];
        var key = (window.CameraId, window.BodyId);
        _thresholds.Observe(top, confidence);
        if (confidence < _thresholds.For(top))
        {
            _runs.Remove(key);
            return (GateDecision.LowConfidence, null, unlabelled);
        }
        int run = _runs.TryGetValue(key, out var previous) && previous.Class == top ? previous.Run + 1 : 1;
        _runs[key] = (top, run);
        if (run < options.ConsecutiveWindows) return (GateDecision.Unstable, null, unlabelled);
        if (options.Samples == SampleForm.Segments)
        {
            if (!_votes.TryGetValue(key, out var votes)) _votes[key] = votes = new SegmentVotes();
            votes.Add(top, confidence, modelVersion);
            return (GateDecision.Voted, null, unlabelled);
        }
        if (!quota.TryTake(top)) return (GateDecision.ClassFull, null, unlabelled);
        return (GateDecision.Accepted, StoreCommand.AddPseudoLabelled(sample, new PseudoLabel(top, confidence, modelVersion)), unlabelled);
    }

    /// <summary>
    /// The body left. With pseudo-labelled segments, its whole track becomes a pseudo-labelled sample when its windows
    /// voted: labelled with the class most of them had (ties to the lower class), resampled to T. With unlabelled
    /// segments, the whole track is also kept unlabelled, whatever the votes.
    /// </summary>
    /// <returns>
    /// The pseudo-label decision (null when there was nothing to decide), its class, and the store commands
    /// (null when nothing is kept).
    /// </returns>
    public (GateDecision? Decision, int Class, StoreCommand? Command, StoreCommand? Unlabelled) End(BodyEnded ended)
    {
        var key = (ended.CameraId, ended.BodyId);
        _runs.Remove(key);
        _votes.Remove(key, out var votes);
        if (ended.Segment is not { } segment || windowFrames < 1) return (null, -1, null, null);
        var unlabelled = options.UnlabelledSamples == SampleForm.Segments ? StoreCommand.AddUnlabelled(Resampled(segment)) : null;
        if (votes is null) return (null, -1, null, unlabelled);
        var (label, confidence, version) = votes.Winner();
        if (!quota.TryTake(label)) return (GateDecision.ClassFull, label, null, unlabelled);
        // Resampled once: the pseudo-labelled sample and the unlabelled one are the same track.
        var sample = unlabelled?.Window ?? Resampled(segment);
        return (GateDecision.SegmentAccepted, label, StoreCommand.AddPseudoLabelled(sample, new PseudoLabel(label, confidence, version)), unlabelled);
    }

    private SampleWindow Resampled(SkeletonWindow segment)
    {
        var resampled = new float[windowFrames * segment.Layout.JointCount * 3];
        TemporalResampler.Interpolate(segment.Positions, segment.FrameCount, segment.Layout.JointCount * 3, resampled, windowFrames);
        return new SampleWindow(segment.CameraId, segment.BodyId, segment.StartUs, segment.EndUs, segment.Layout.Id, resampled, segment.ReceivedUnixUs);
    }

    /// <summary>The body left: its run ends with it (and its segment votes, unused).</summary>
    public void Forget(string cameraId, ulong bodyId)
    {
        _runs.Remove((cameraId, bodyId));
        _votes.Remove((cameraId, bodyId));
    }
}
