using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// Degraded while the loop is enabled but cannot learn (no labelled data, store not writable): the
/// server still recognises actions, but it no longer improves, and an operator should know.
/// </summary>
public sealed class OnlineLearningHealthCheck(IOnlineLearningControl loop, Microsoft.Extensions.Options.IOptions<OnlineLearningOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = loop.GetStatus();
        var data = new Dictionary<string, object> { ["state"] = status.State.ToString(), ["serving"] = status.ServingVersion, ["paused"] = status.Paused };
        if (!options.Value.Enabled) return Task.FromResult(HealthCheckResult.Healthy("Online learning is off by configuration.", data));
        if (status.State == OnlineLoopState.Disabled || !status.StoreWritable)
            return Task.FromResult(HealthCheckResult.Degraded($"Serving without learning: {status.Detail}", data: data));
        return Task.FromResult(HealthCheckResult.Healthy($"Online learning {status.State.ToString().ToLowerInvariant()}: {status.Detail}", data));
    }
}
