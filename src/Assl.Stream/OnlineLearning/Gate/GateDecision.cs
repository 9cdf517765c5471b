namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>What the gate did with one window; the reason is a metric label.</summary>
public enum GateDecision
{
    Accepted,
    LowConfidence,
    Unstable,
    ClassFull,
}
