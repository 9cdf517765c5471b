namespace Assl.Stream.Inference;

/// <summary>
/// Runs the serving model on a batch of windows. Synchronous by design: TorchSharp's dispose scopes
/// are per thread, so the whole forward pass happens on the calling thread with no await inside.
/// </summary>
public interface IInferenceEngine
{
    /// <summary>The model new batches run on.</summary>
    ServingModel Current { get; }

    /// <param name="windows">Each window T × J × 3 floats in the model's layout and that layout's own units.</param>
    /// <returns>One probability row per window, and the version of the model used.</returns>
    (float[][] Probabilities, string ModelVersion) Predict(IReadOnlyList<float[]> windows);

    /// <summary>
    /// The batch size a pass of <paramref name="count"/> windows runs at: <paramref name="count"/> itself, or more when the
    /// engine pads batches to a few shapes (<see cref="InferenceOptions.PadToShapes"/>). The batcher fills those padding
    /// rows with waiting windows instead of zeros.
    /// </summary>
    int ShapeFor(int count) => count;

    /// <summary>Makes <paramref name="next"/> the serving model; in-flight batches finish on the old one.</summary>
    void Swap(ServingModel next);
}
