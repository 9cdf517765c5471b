using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// FlexMatch's per-class pseudo-label bars (Zhang et al., "FlexMatch", NeurIPS 2021): a class the model already
/// predicts confidently for many unlabelled clips keeps the fixed bar, a class it seldom does gets a lower one, so
/// that with a handful of labels per class the hard classes still get pseudo-labels.
/// </summary>
/// <remarks>
/// Each unlabelled clip remembers the class its weak view last reached the fixed bar τ for. With σ_c the clips
/// remembered as class c and u those never confident yet, β_c = σ_c / max(max_c σ_c, u), and class c's bar is
/// τ · β_c / (2 − β_c). Counting u in the denominator is FlexMatch's warm-up: while most clips have never been
/// confident every bar is low, and the bars rise as the model learns.
/// </remarks>
public sealed class FlexibleThresholds
{
    private readonly int[] _remembered;
    private readonly int[] _counts;
    private readonly double _threshold;

    public FlexibleThresholds(int unlabelledCount, int classes, double threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(unlabelledCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        if (threshold is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The fixed bar must be in (0, 1].");
        _remembered = new int[unlabelledCount];
        Array.Fill(_remembered, -1);
        _counts = new int[classes];
        _threshold = threshold;
    }

    /// <summary>Each class's bar, as the last <see cref="Observe"/> left them.</summary>
    public double[] Bars()
    {
        int unused = _remembered.Length - _counts.Sum();
        double denominator = Math.Max(1, Math.Max(_counts.Max(), unused));
        return _counts.Select(count =>
        {
            double beta = count / denominator;
            return _threshold * beta / (2 - beta);
        }).ToArray();
    }

    /// <summary>Each class's bar as a (classes) tensor of <paramref name="dtype"/> on <paramref name="device"/>.</summary>
    public Tensor BarsTensor(ScalarType dtype, Device device) =>
        tensor(Bars().Select(b => (float)b).ToArray(), dtype: dtype, device: device);

    /// <summary>Remembers the class of each clip whose weak-view prediction reached the fixed bar.</summary>
    /// <param name="indices">The clips' rows in the unlabelled set.</param>
    /// <param name="weakLogits">Their weak-view logits, (clips, classes).</param>
    public void Observe(Tensor indices, Tensor weakLogits)
    {
        long[] rows;
        float[] confidence;
        long[] predicted;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (top, classes) = nn.functional.softmax(weakLogits.detach(), 1).max(1);
            rows = indices.cpu().data<long>().ToArray();
            confidence = top.cpu().data<float>().ToArray();
            predicted = classes.cpu().data<long>().ToArray();
        }
        if (rows.Length != confidence.Length)
            throw new ArgumentException($"{rows.Length} indices for {confidence.Length} rows of logits.", nameof(indices));
        for (int i = 0; i < rows.Length; i++)
        {
            if (confidence[i] < _threshold) continue;
            ref int slot = ref _remembered[rows[i]];
            if (slot >= 0) _counts[slot]--;
            slot = (int)predicted[i];
            _counts[slot]++;
        }
    }
}
