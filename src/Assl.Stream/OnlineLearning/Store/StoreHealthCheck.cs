using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Assl.Stream.OnlineLearning.Store;

/// <summary>
/// Degraded (not unhealthy: recognition still works) while the sample store cannot be written and
/// samples are being dropped.
/// </summary>
public sealed class StoreHealthCheck(StoreWriter writer) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(writer.IsHealthy
            ? HealthCheckResult.Healthy($"Sample store writable; {writer.QueuedCommands} commands queued.")
            : HealthCheckResult.Degraded($"Sample store not writable, samples are dropped: {writer.LastError}"));
}
