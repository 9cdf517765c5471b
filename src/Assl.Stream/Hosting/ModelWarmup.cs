using Assl.Stream.Inference;
using Assl.Stream.Observability;

namespace Assl.Stream.Hosting;

/// <summary>
/// Runs one forward pass at start-up: loads the model eagerly (a bad model stops the server now, not at
/// the first frame) and pays libtorch's first-call cost before any camera connects.
/// </summary>
public sealed class ModelWarmup(IInferenceEngine engine, AsslMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var model = engine.Current;
        engine.Predict([new float[model.Frames * model.Layout.JointCount * 3]]);
        metrics.SetServingVersion(model.Version, previous: null);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
