namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// One write to the sample store. Producers queue these through <see cref="StoreWriter.TryEnqueue"/>;
/// the writer applies a batch of them in one transaction (<see cref="ISampleStore.WriteAsync"/>).
/// </summary>
public abstract record StoreCommand
{
    private StoreCommand()
    {
    }

    /// <summary>Adds a window; with <see cref="SampleKind.PseudoLabelled"/> the label comes with it, in the same row.</summary>
    public sealed record AddWindow : StoreCommand
    {
        public AddWindow(SampleWindow window, SampleKind kind = SampleKind.Pending, PseudoLabel? label = null)
        {
            ArgumentNullException.ThrowIfNull(window);
            if ((kind == SampleKind.PseudoLabelled) != (label is not null))
                throw new ArgumentException($"A label is required for, and only for, {nameof(SampleKind.PseudoLabelled)} windows (kind {kind}).", nameof(label));
            Window = window;
            Kind = kind;
            Label = label;
        }

        public SampleWindow Window { get; }
        public SampleKind Kind { get; }
        public PseudoLabel? Label { get; }
    }

    /// <summary>Attaches (or replaces) the pseudo-label of a stored window.</summary>
    public sealed record SetPseudoLabel(long Sequence, PseudoLabel Label) : StoreCommand;

    /// <summary>Marks a stored window as an unlabelled sample (dropping any pseudo-label).</summary>
    public sealed record MarkUnlabelled(long Sequence) : StoreCommand;

    public static AddWindow Add(SampleWindow window) => new(window);

    public static AddWindow AddPseudoLabelled(SampleWindow window, PseudoLabel label) => new(window, SampleKind.PseudoLabelled, label);

    public static AddWindow AddUnlabelled(SampleWindow window) => new(window, SampleKind.Unlabelled);
}
