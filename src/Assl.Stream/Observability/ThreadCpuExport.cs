using System.Runtime.CompilerServices;
using Prometheus;

namespace Assl.Stream.Observability;

/// <summary>
/// Brings counters of the CPU time of the threads named with given prefixes (<c>assl_inference_cpu_seconds_total</c>,
/// <c>assl_finetune_cpu_seconds_total</c>) up to date before every scrape, where the platform can measure it: one pass
/// over the process's threads for all of them.
/// </summary>
public static class ThreadCpuExport
{
    // Once per registry: hosts in one process (tests) share the default registry, and the threads read are the process's anyway.
    private static readonly ConditionalWeakTable<CollectorRegistry, NamedThreadsCpuTime> Readers = new();

    public static void Register(CollectorRegistry registry, params (string ThreadNamePrefix, Counter CpuSeconds)[] series)
    {
        if (!NamedThreadsCpuTime.IsSupported) return;
        var reader = new NamedThreadsCpuTime([.. series.Select(s => s.ThreadNamePrefix)]);
        if (!Readers.TryAdd(registry, reader)) return;
        registry.AddBeforeCollectCallback(() =>
        {
            var seconds = reader.SecondsByPrefix();
            foreach (var (prefix, counter) in series) counter.IncTo(seconds[prefix]);
        });
    }
}
