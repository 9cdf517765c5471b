namespace Assl.Stream.OnlineLearning.Store;

/// <summary>The class a model gave a window, trusted enough to train on.</summary>
/// <param name="ClassIndex">The class, 0-based.</param>
/// <param name="Confidence">The model's probability for the class.</param>
/// <param name="ModelVersion">The model version that gave the label.</param>
public sealed record PseudoLabel(int ClassIndex, float Confidence, string ModelVersion);
