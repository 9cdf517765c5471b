namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>What the gate did with one window (or, for segments, one ended body); the reason is a metric label.</summary>
public enum GateDecision
{
    Accepted,
    LowConfidence,
    Unstable,
    ClassFull,

    /// <summary>Segments: the window passed and votes for its body's segment, stored when the body ends.</summary>
    Voted,

    /// <summary>Segments: an ended body's whole track was stored, labelled by its windows' votes.</summary>
    SegmentAccepted,
}
