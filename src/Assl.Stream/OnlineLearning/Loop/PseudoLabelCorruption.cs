using Assl.Stream.OnlineLearning.Store;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// Deliberately wrong pseudo-labels, for experiments that show the promotion guard refusing a
/// candidate trained on them (OnlineLearning:CorruptPseudoLabels). Never on by default.
/// </summary>
public static class PseudoLabelCorruption
{
    public static SampleBatch Apply(SampleBatch batch, string mode, int classes, int seed = 1) => mode switch
    {
        "none" => batch,
        "constant" => batch with { Labels = batch.Labels.Select(_ => 0).ToArray() },
        // A different class than the gate chose, so every label is wrong rather than 1 in 10 right by chance.
        "random" => batch with { Labels = Shift(batch.Labels, classes, new Random(seed)) },
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected none, random or constant."),
    };

    private static int[] Shift(int[] labels, int classes, Random random) =>
        labels.Select(l => (l + 1 + random.Next(classes - 1)) % classes).ToArray();
}
