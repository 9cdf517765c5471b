using Assl.Stream.Inference;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Assl.Stream.Hosting;

/// <summary>Healthy while a model is loaded and the inference queue is not saturated.</summary>
public sealed class ModelHealthCheck(IInferenceEngine engine, InferenceBatcher batcher, Microsoft.Extensions.Options.IOptions<BatchingOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var model = engine.Current;
        var queued = batcher.QueuedWindows;
        if (queued >= options.Value.QueueCapacity)
            return Task.FromResult(HealthCheckResult.Degraded($"Inference queue full ({queued} windows): windows are being dropped."));
        return Task.FromResult(HealthCheckResult.Healthy($"Serving {model.Version}; {queued} windows queued."));
    }
}
