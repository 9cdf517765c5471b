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
public sealed class PseudoLabelGate(PseudoLabelOptions options, PseudoLabelQuota quota, ClassThresholds? thresholds = null)
{
    private readonly ClassThresholds _thresholds = thresholds ?? new ClassThresholds(options);

    private readonly Dictionary<(string Camera, ulong Body), (int Class, int Run)> _runs = [];
    private double _unlabelledCredit;

    /// <param name="smoothed">The body's smoothed class probabilities after this window.</param>
    /// <returns>The decision, and the store command to queue (null when nothing is kept).</returns>
    public (GateDecision Decision, StoreCommand? Command, StoreCommand? Unlabelled) Observe(SkeletonWindow window, IReadOnlyList<float> smoothed, string modelVersion)
    {
        var sample = SampleWindow.From(window);
        StoreCommand? unlabelled = null;
        _unlabelledCredit += options.UnlabelledShare;
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
        if (!quota.TryTake(top)) return (GateDecision.ClassFull, null, unlabelled);
        return (GateDecision.Accepted, StoreCommand.AddPseudoLabelled(sample, new PseudoLabel(top, confidence, modelVersion)), unlabelled);
    }

    /// <summary>The body left: its run ends with it.</summary>
    public void Forget(string cameraId, ulong bodyId) => _runs.Remove((cameraId, bodyId));
}
