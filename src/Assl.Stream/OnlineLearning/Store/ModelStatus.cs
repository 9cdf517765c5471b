namespace Assl.Stream.OnlineLearning.Store;

/// <summary>Where a model version stands. Stored as lower-case text.</summary>
public enum ModelStatus
{
    /// <summary>Trained, waiting for a promotion decision.</summary>
    Candidate,

    /// <summary>The version being served.</summary>
    Serving,

    /// <summary>Evaluated and not promoted.</summary>
    Refused,

    /// <summary>Served once, replaced since.</summary>
    Retired,
}
