using System.ComponentModel.DataAnnotations;

namespace Assl.Stream.Inference;

/// <summary>How windows are grouped into forward passes.</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Batching";

    /// <summary>
    /// Most windows in one forward pass. With several <see cref="Workers"/>, a pass takes more than
    /// MaxBatchSize / Workers only while as many windows remain queued for each other worker, so a burst is
    /// shared between the cores and a long backlog still runs in full batches.
    /// </summary>
    /// <remarks>
    /// 24 rather than 64: the graph model costs more per window in passes of 64 than of 16–32 (on a 2-core Intel Xeon,
    /// two single-threaded passes side by side did 69–93 % as many windows/s at 64 as at their best size, over
    /// ten load-test runs). Saturation runs alternating with 64, same hour: p99 at ×2.74 live 35–87 ms against
    /// 99–662 ms, and 70.7–85.2 % of the best raw figure against 59.8–81.9 % (docs/results/serving-findings.md).
    /// </remarks>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 24;

    /// <summary>How long a partly filled batch waits for more windows, in milliseconds.</summary>
    [Range(0, 1000)]
    public double MaxBatchDelayMs { get; set; } = 4;

    /// <summary>Windows waiting for inference; beyond this the oldest are dropped (and counted).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 2048;

    /// <summary>
    /// Forward passes that may run at once, each on a dedicated thread of its own; by default one per core, each
    /// single-threaded (<see cref="InferenceOptions.ThreadsFor"/>). On 2 cores that sustained 1 391 windows/s against
    /// 678 for one pass at a time on both cores, and the model alone ran 1 941 against 770 windows/s
    /// (docs/results/serving.md). Results still reach each stream in order.
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 64);

    /// <summary>
    /// Windows that must be waiting before a worker other than the first takes a pass: below it, the first worker alone
    /// runs every pass; 1 lets every worker take whatever waits.
    /// </summary>
    /// <remarks>
    /// At live load every window used to wake every worker (a channel wakes all its waiting readers), and passes of one
    /// or two windows alternated between threads, each on its own core's cold caches. 64 streams at 30 fps on 2 cores, two
    /// runs each: the model used 0.63 / 0.62 cores at 4, p99 22 ms, against 0.72–0.89 with every worker taking any window
    /// (1 here, or the loop before this setting), p99 14–28 ms (docs/results/serving-findings.md). A backlog (a burst, an
    /// overload) still brings in the others.
    /// </remarks>
    [Range(1, 1_000_000)]
    public int HelperBacklog { get; set; } = 4;
}
