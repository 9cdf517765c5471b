using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Prometheus;

namespace Assl.Stream.Observability;

/// <summary>
/// Brings a counter of the CPU time of the threads named with a prefix (<c>assl_inference_cpu_seconds_total</c>,
/// <c>assl_finetune_cpu_seconds_total</c>) up to date before every scrape, where the platform can measure it.
/// </summary>
public static class ThreadCpuExport
{
    // Once per registry and prefix: hosts in one process (tests) share the default registry, and the threads read are the process's anyway.
    private static readonly ConditionalWeakTable<CollectorRegistry, ConcurrentDictionary<string, NamedThreadsCpuTime>> Readers = new();

    public static void Register(CollectorRegistry registry, string threadNamePrefix, Counter cpuSeconds)
    {
        if (!NamedThreadsCpuTime.IsSupported) return;
        var reader = new NamedThreadsCpuTime(threadNamePrefix);
        if (!Readers.GetOrCreateValue(registry).TryAdd(threadNamePrefix, reader)) return;
        registry.AddBeforeCollectCallback(() => cpuSeconds.IncTo(reader.TotalSeconds()));
    }
}
