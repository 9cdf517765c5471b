namespace Assl.Stream.Events;

/// <summary>One class and its smoothed probability.</summary>
public readonly record struct ScoredClass(int ClassIndex, string ClassName, float Score);
