using System.ComponentModel.DataAnnotations;

namespace Assl.Stream.Inference;

/// <summary>How windows are grouped into forward passes.</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Batching";

    /// <summary>Most windows in one forward pass.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 64;

    /// <summary>How long a partly filled batch waits for more windows, in milliseconds.</summary>
    [Range(0, 1000)]
    public double MaxBatchDelayMs { get; set; } = 4;

    /// <summary>Windows waiting for inference; beyond this the oldest are dropped (and counted).</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 2048;

    /// <summary>
    /// Forward passes that may run at once, each on a dedicated thread of its own. With more than one, each pass
    /// gets a share of the cores (<see cref="InferenceOptions.BacklogThreadsFor"/>) instead of all of them, so
    /// libtorch's threads do not wait on one another inside a pass. Results still reach each stream in order.
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 1;
}
