using System.Diagnostics;
using Assl.Stream.Inference;
using static TorchSharp.torch;

namespace Assl.Cli.Clients;

/// <summary>
/// The model's own ceiling: batched forward passes in this process, no network and no server, on
/// windows cut at random from real sequences (so preprocessing sees real skeletons, not noise).
/// </summary>
public static class RawThroughput
{
    /// <summary>The best figure found, and how it was run.</summary>
    public sealed record RawCeiling(double WindowsPerS, int Workers, int BatchSize);

    /// <summary>Batch sizes tried for the ceiling: the server's pass shapes from 16 to 64 (its default maximum is 24; a server may be set to 64).</summary>
    public static readonly IReadOnlyList<int> BatchSizes = [64, 48, 32, 24, 16];

    /// <summary>
    /// The model's best batched throughput: one pass at a time on every core against one single-threaded pass per core
    /// side by side (the two ways the server can run, <see cref="BatchingOptions.Workers"/>) at batches of 64, then the
    /// better of the two at smaller batches. A ceiling measured one way only would flatter a server configured the other
    /// way, and one measured at 64 alone would flatter any server: on a 2-core Intel Xeon, two single-threaded passes did
    /// 774–826 windows/s at 64, 888–921 at 48, 941–991 at 32 and 1 029 at 24 (cache: a pass of 64 windows outgrows it).
    /// </summary>
    public static RawCeiling Best(string modelPath, IReadOnlyList<ReplayClip> clips, TimeSpan durationEach, TextWriter output)
    {
        var best = new RawCeiling(0, 1, BatchSizes[0]);
        void Try(int workers, int batchSize)
        {
            double rate = WindowsPerSecond(modelPath, clips, durationEach, workers, batchSize);
            output.WriteLine($"  raw: {workers} pass(es) at once × {ServerBudget(workers)} thread(s), batches of {batchSize}: {rate:0} windows/s");
            if (rate > best.WindowsPerS) best = new RawCeiling(rate, workers, batchSize);
        }
        foreach (int workers in new[] { 1, Environment.ProcessorCount }.Distinct()) Try(workers, BatchSizes[0]);
        int bestWorkers = best.Workers;
        foreach (int batchSize in BatchSizes.Skip(1)) Try(bestWorkers, batchSize);
        return best;
    }

    /// <summary>
    /// How a server with default options runs a backlog: one single-threaded pass per core, batches of at most
    /// <see cref="BatchingOptions.MaxBatchSize"/>. Best may not try it (it tries smaller batches only the better way at 64),
    /// and a ceiling below the server's own way of running would flatter the server.
    /// </summary>
    public static (int Workers, int BatchSize) ServerDefaultWay
    {
        get
        {
            var defaults = new BatchingOptions();
            return (defaults.Workers, defaults.MaxBatchSize);
        }
    }

    /// <summary>The libtorch threads the server gives a backlog batch (every size tried here) when this many passes run at once.</summary>
    internal static int ServerBudget(int workers) => new InferenceOptions().BacklogThreadsFor(workers);

    /// <returns>Windows classified per second by <paramref name="workers"/> threads each running batches of <paramref name="batchSize"/>.</returns>
    public static double WindowsPerSecond(string modelPath, IReadOnlyList<ReplayClip> clips, TimeSpan duration, int workers = 1, int batchSize = 64, int seed = 1)
    {
        using var probe = new RawProbe(modelPath, clips, workers, batchSize, seed);
        return probe.Measure(duration).WindowsPerS;
    }
}

/// <summary>
/// One way of running the model (<paramref name="workers"/> passes side by side, batches of <paramref name="batchSize"/>),
/// loaded once and measured as often as asked: a load test measures it between its steps, so that each step is compared
/// with the model's throughput on the machine as it was at that moment, not minutes away from it.
/// </summary>
public sealed class RawProbe : IDisposable
{
    private readonly TorchInferenceEngine _engine;
    private readonly float[][][] _batches;

    public RawProbe(string modelPath, IReadOnlyList<ReplayClip> clips, int workers, int batchSize, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        BatchSize = batchSize;
        int threads = RawThroughput.ServerBudget(workers);
        _engine = new TorchInferenceEngine(ServingModel.Load(modelPath, CPU), threads, threads);
        _batches = RealWindows.Cut(clips, _engine.Current, 8 * batchSize, seed).Chunk(batchSize).ToArray();
        _engine.Predict(_batches[0]); // the first pass pays for allocation and kernel selection
    }

    public int Workers { get; }
    public int BatchSize { get; }

    /// <returns>Windows classified per second over <paramref name="duration"/>, and the cores this process used meanwhile.</returns>
    public RawMeasurement Measure(TimeSpan duration)
    {
        long windows = 0;
        var clock = new Stopwatch();
        var cpuAtStart = TimeSpan.Zero;
        // The clock starts once every thread has warmed up (its own OpenMP team, its first pass).
        using var started = new Barrier(Workers, _ =>
        {
            cpuAtStart = Environment.CpuUsage.TotalTime;
            clock.Start();
        });
        var running = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
        {
            _engine.Predict(_batches[w % _batches.Length]);
            started.SignalAndWait();
            for (int i = w; clock.Elapsed < duration; i++)
            {
                _engine.Predict(_batches[i % _batches.Length]);
                Interlocked.Add(ref windows, BatchSize);
            }
        }) { IsBackground = true, Name = $"assl-raw-{w + 1}" }).ToArray();
        foreach (var thread in running) thread.Start();
        foreach (var thread in running) thread.Join();
        double seconds = clock.Elapsed.TotalSeconds;
        return new RawMeasurement(Interlocked.Read(ref windows) / seconds, (Environment.CpuUsage.TotalTime - cpuAtStart).TotalSeconds / seconds);
    }

    public void Dispose() => _engine.Dispose();
}

/// <summary>
/// One measurement of a <see cref="RawProbe"/>: windows classified per second, and the cores its process used meanwhile
/// (the probe's passes: a load test measures between steps, with its streams stopped). Beside a server's model CPU
/// (<c>assl_inference_cpu_seconds_total</c>) it tells whether the model had fewer cores in service or used them worse.
/// </summary>
public readonly record struct RawMeasurement(double WindowsPerS, double CpuCores);
