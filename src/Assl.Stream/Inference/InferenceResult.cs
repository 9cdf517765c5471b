namespace Assl.Stream.Inference;

/// <summary>Class probabilities for one window, and the model that produced them.</summary>
public sealed record InferenceResult(float[] Probabilities, string ModelVersion)
{
    /// <summary>The window was dropped under overload before a model saw it.</summary>
    public static InferenceResult Dropped { get; } = new([], "");

    public bool WasDropped => Probabilities.Length == 0;
}
