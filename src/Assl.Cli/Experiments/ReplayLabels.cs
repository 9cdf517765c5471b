namespace Assl.Cli.Experiments;

/// <summary>What a fine-tuning replay trains on in place of the loop's pseudo-labelled windows.</summary>
public enum ReplayOracle
{
    /// <summary>The stored pseudo-labels, as the loop trains.</summary>
    None,

    /// <summary>The same stored windows with their true classes: the ceiling of perfect pseudo-labels.</summary>
    Windows,

    /// <summary>
    /// The streamed view's whole sequences, labelled, instead of windows cut from their replay: tells how much
    /// the window form costs (the model is tested on whole clips resampled to T).
    /// </summary>
    Sequences,

    /// <summary>
    /// The streamed view's whole sequences, labelled by the serving model where it is at least
    /// <see cref="ReplayLabels.MinConfidence"/> sure (0.95 when that is 0): what pseudo-labelling whole action
    /// segments instead of windows would give, with no truth involved.
    /// </summary>
    PseudoSequences,

    /// <summary>
    /// The whole sequences of the clips whose windows the gate pseudo-labelled, each labelled by the label most of
    /// its windows got: what keeping action segments instead of windows would give the loop. Needs a truth file
    /// that names clips.
    /// </summary>
    GatedSequences,

    /// <summary>
    /// <see cref="GatedSequences"/> kept only where the serving model's answer on the whole clip names the same class:
    /// two views of the clip agreeing, for fewer but better labels. Needs a truth file that names clips.
    /// </summary>
    AgreedSequences,
}

/// <param name="Oracle">What replaces the pseudo-labelled windows; <see cref="ReplayOracle.Windows"/> needs <paramref name="Truth"/>.</param>
/// <param name="Truth">The phase's truth file: with it, how many pseudo-labels are right is printed.</param>
/// <param name="MinConfidence">Only pseudo-labels at least this confident: a stricter gate, emulated on the same store.</param>
/// <param name="UnlabelledSequences">
/// Train the unlabelled terms on the streamed view's whole sequences (no labels) instead of the stored unlabelled
/// windows: what keeping every body's whole track as unlabelled data would give the loop.
/// </param>
public sealed record ReplayLabels(ReplayOracle Oracle = ReplayOracle.None, StoredTruth? Truth = null, float MinConfidence = 0f,
    bool UnlabelledSequences = false)
{
    public static ReplayLabels Stored { get; } = new();

    /// <exception cref="ArgumentException">The combination cannot run.</exception>
    public void ThrowIfInvalid()
    {
        if (Oracle is ReplayOracle.Windows or ReplayOracle.GatedSequences or ReplayOracle.AgreedSequences && Truth is null)
            throw new ArgumentException($"--oracle {Oracle} needs the phase's truth file (--truth)");
        if (MinConfidence is < 0f or > 1f || float.IsNaN(MinConfidence)) throw new ArgumentException($"the minimum confidence must be in [0, 1], got {MinConfidence}");
    }
}
