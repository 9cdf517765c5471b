namespace Assl.Stream.OnlineLearning.Store;

/// <summary>A window read back from the store.</summary>
/// <param name="Sequence">Increasing id given by the store; never reused, even after retention deletes.</param>
/// <param name="Label">Set when <paramref name="Kind"/> is <see cref="SampleKind.PseudoLabelled"/>.</param>
public sealed record StoredSample(long Sequence, SampleWindow Window, SampleKind Kind, PseudoLabel? Label);
