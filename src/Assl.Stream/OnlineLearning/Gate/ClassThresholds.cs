namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>
/// The confidence each class needs to become a pseudo-label, shared by every stream of the server
/// (thread-safe). Fixed at <see cref="PseudoLabelOptions.Threshold"/> unless
/// <see cref="PseudoLabelOptions.ClassAdaptive"/> is on; then FlexMatch-style (Zhang et al., NeurIPS 2021): a class
/// the model is rarely confident about gets a lower bar, so hard classes are not starved of pseudo-labels
/// while easy ones fill their caps.
/// </summary>
/// <remarks>
/// σ_c counts windows whose top class is c at or above the fixed threshold; β_c = σ_c / max σ; the bar is
/// τ·β_c / (2 − β_c), never below <see cref="PseudoLabelOptions.MinThreshold"/>. Until
/// <see cref="PseudoLabelOptions.AdaptiveWarmupWindows"/> confident windows were seen, every class keeps τ:
/// a handful of windows says nothing about which classes are hard.
/// </remarks>
public sealed class ClassThresholds(PseudoLabelOptions options)
{
    private readonly Dictionary<int, long> _confident = [];
    private readonly Lock _gate = new();
    private long _total;
    private long _max;

    public bool Adaptive => options.ClassAdaptive;

    /// <summary>Counts a window's smoothed top class towards its class's learning effect.</summary>
    public void Observe(int topClass, double confidence)
    {
        if (!options.ClassAdaptive || confidence < options.Threshold) return;
        lock (_gate)
        {
            long count = _confident.GetValueOrDefault(topClass) + 1;
            _confident[topClass] = count;
            _total++;
            _max = Math.Max(_max, count);
        }
    }

    /// <summary>The confidence a window whose top class is <paramref name="classIndex"/> needs now.</summary>
    public double For(int classIndex)
    {
        if (!options.ClassAdaptive) return options.Threshold;
        lock (_gate)
        {
            if (_total < options.AdaptiveWarmupWindows || _max == 0) return options.Threshold;
            double beta = (double)_confident.GetValueOrDefault(classIndex) / _max;
            return Math.Max(options.MinThreshold, options.Threshold * beta / (2 - beta));
        }
    }
}
