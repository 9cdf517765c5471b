namespace Assl.Stream.OnlineLearning.Store;

/// <summary>Windows read for training, as parallel arrays (row i of each describes one window).</summary>
/// <param name="Sequences">The windows' store sequence numbers.</param>
/// <param name="Positions">Each window's T × J × 3 positions, as stored.</param>
/// <param name="LayoutIds">Each window's joint layout.</param>
/// <param name="Labels">Pseudo-label class, or -1 for an unlabelled window.</param>
/// <param name="Confidences">Pseudo-label confidence, or 0 for an unlabelled window.</param>
public sealed record SampleBatch(long[] Sequences, float[][] Positions, string[] LayoutIds, int[] Labels, float[] Confidences)
{
    public int Count => Sequences.Length;

    public static SampleBatch Empty { get; } = new([], [], [], [], []);

    public static SampleBatch From(IReadOnlyList<StoredSample> samples) => new(
        samples.Select(s => s.Sequence).ToArray(),
        samples.Select(s => s.Window.Positions).ToArray(),
        samples.Select(s => s.Window.LayoutId).ToArray(),
        samples.Select(s => s.Label?.ClassIndex ?? -1).ToArray(),
        samples.Select(s => s.Label?.Confidence ?? 0f).ToArray());
}
