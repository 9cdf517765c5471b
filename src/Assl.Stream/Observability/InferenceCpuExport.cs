using System.Runtime.CompilerServices;
using Assl.Stream.Inference;
using Prometheus;

namespace Assl.Stream.Observability;

/// <summary>Brings <c>assl_inference_cpu_seconds_total</c> up to date before every scrape, where the platform can measure it.</summary>
public static class InferenceCpuExport
{
    // Once per registry: hosts in one process (tests) share the default registry, and the threads read are the process's anyway.
    private static readonly ConditionalWeakTable<CollectorRegistry, NamedThreadsCpuTime> Readers = new();

    public static void Register(CollectorRegistry registry, Counter inferenceCpuSeconds)
    {
        if (!NamedThreadsCpuTime.IsSupported) return;
        var reader = new NamedThreadsCpuTime(InferenceBatcher.ThreadNamePrefix);
        if (!Readers.TryAdd(registry, reader)) return;
        registry.AddBeforeCollectCallback(() => inferenceCpuSeconds.IncTo(reader.TotalSeconds()));
    }
}
