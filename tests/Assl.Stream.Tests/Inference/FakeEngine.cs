using Assl.Stream.Inference;

namespace Assl.Stream.Tests.Inference;

/// <summary>An engine that records batch sizes and answers with the window's first value as "probability".</summary>
internal sealed class FakeEngine(bool padToShapes = false) : IInferenceEngine
{
    private readonly object _gate = new();
    public List<int> BatchSizes { get; } = [];
    public ManualResetEventSlim Gate { get; } = new(initialState: true);

    /// <summary>Set once a batch has reached the engine: tests wait on it instead of guessing with a delay.</summary>
    public ManualResetEventSlim Entered { get; } = new(initialState: false);
    /// <summary>Released once per batch that reaches the engine, so a test can wait for several passes in flight.</summary>
    public SemaphoreSlim Arrivals { get; } = new(0);
    public ServingModel Current => throw new NotSupportedException();

    public (float[][] Probabilities, string ModelVersion) Predict(IReadOnlyList<float[]> windows)
    {
        Entered.Set();
        Arrivals.Release();
        Gate.Wait(TimeSpan.FromSeconds(10));
        lock (_gate) BatchSizes.Add(windows.Count);
        return (windows.Select(w => new[] { w[0], 1 - w[0] }).ToArray(), "fake-1");
    }

    public int ShapeFor(int count) => padToShapes ? BatchShapes.Padded(count) : count;

    public void Swap(ServingModel next) => throw new NotSupportedException();
}
