namespace Assl.Stream.OnlineLearning.Store;

/// <summary>What a stored window is for. Stored as an integer: do not renumber.</summary>
public enum SampleKind
{
    /// <summary>Stored, not yet decided.</summary>
    Pending = 0,

    /// <summary>Carries a <see cref="PseudoLabel"/>; used as a labelled training example.</summary>
    PseudoLabelled = 1,

    /// <summary>Kept as an unlabelled sample (e.g. for consistency training).</summary>
    Unlabelled = 2,
}
