using System.ComponentModel.DataAnnotations;

namespace Assl.Stream.Inference;

/// <summary>Which model the server runs, and where.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>The .assl checkpoint to serve; relative paths are resolved against the server's folder.</summary>
    [Required]
    public string ModelPath { get; set; } = Path.Combine("models", "nucla-default.assl");

    /// <summary>"cpu", "cuda" or "cuda:N". Asking for CUDA on a CPU build stops the server at start-up.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Inference:Device must be cpu, cuda or cuda:N.")]
    public string Device { get; set; } = "cpu";

    /// <summary>
    /// libtorch intra-op threads per forward pass; 0 (the default) shares the cores out among the batching workers
    /// (<see cref="BatchingOptions.Workers"/>), and with one worker takes half of them. Several single-threaded
    /// passes side by side beat one pass on every core: libtorch's threads wait on one another at every step of
    /// the GRU, and idle ones spin on the CPU that gRPC and windowing need (docs/results/serving.md).
    /// </summary>
    [Range(0, 256)]
    public int Threads { get; set; }

    /// <summary>
    /// libtorch threads for a batch of at least <see cref="BacklogBatchSize"/> windows; 0 means the cores shared out
    /// among the batching workers (all of them with one worker). A batch that
    /// large means windows were waiting (a burst, or more load than one thread can take): latency is already spent in
    /// the queue, and the extra threads clear it sooner. Set it to <see cref="Threads"/> to keep one budget.
    /// </summary>
    [Range(0, 256)]
    public int BacklogThreads { get; set; }

    /// <summary>
    /// Batches of at least this many windows run on <see cref="BacklogThreads"/>. At 64 staggered 30-fps cameras batches hold 1–3;
    /// above <see cref="BatchingOptions.MaxBatchSize"/> (24 by default) no batch reaches it, and the backlog threads go unused.
    /// </summary>
    [Range(1, 4096)]
    public int BacklogBatchSize { get; set; } = 16;

    /// <summary>
    /// Pads each batch with empty windows up to the next of a few fixed sizes (<see cref="BatchShapes"/>), so the process
    /// keeps the memory of a few pass shapes instead of one per batch size. Off runs every batch at its own size.
    /// </summary>
    public bool PadToShapes { get; set; } = true;

    /// <summary>The budget of a pass below <see cref="BacklogBatchSize"/> when <paramref name="workers"/> passes may run at once.</summary>
    public int ThreadsFor(int workers) => Threads > 0 ? Threads : Math.Max(1, Environment.ProcessorCount / Math.Max(2, workers));

    /// <summary>The backlog budget when <paramref name="workers"/> forward passes may run at once (<see cref="BatchingOptions.Workers"/>).</summary>
    public int BacklogThreadsFor(int workers) => BacklogThreads > 0 ? BacklogThreads : Math.Max(1, Environment.ProcessorCount / Math.Max(1, workers));
}
