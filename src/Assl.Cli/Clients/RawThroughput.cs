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

    /// <summary>The libtorch threads the server gives a backlog batch (every size tried here) when this many passes run at once.</summary>
    private static int ServerBudget(int workers) => new InferenceOptions().BacklogThreadsFor(workers);

    /// <returns>Windows classified per second by <paramref name="workers"/> threads each running batches of <paramref name="batchSize"/>.</returns>
    public static double WindowsPerSecond(string modelPath, IReadOnlyList<ReplayClip> clips, TimeSpan duration, int workers = 1, int batchSize = 64, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        int threads = ServerBudget(workers);
        var engine = new TorchInferenceEngine(ServingModel.Load(modelPath, CPU), threads, threads);
        try
        {
            var batches = RealWindows.Cut(clips, engine.Current, 8 * batchSize, seed).Chunk(batchSize).ToArray();

            engine.Predict(batches[0]); // the first pass pays for allocation and kernel selection
            long windows = 0;
            var clock = new Stopwatch();
            // The clock starts once every thread has warmed up (its own OpenMP team, its first pass).
            using var started = new Barrier(workers, _ => clock.Start());
            var running = Enumerable.Range(0, workers).Select(w => new Thread(() =>
            {
                engine.Predict(batches[w % batches.Length]);
                started.SignalAndWait();
                for (int i = w; clock.Elapsed < duration; i++)
                {
                    engine.Predict(batches[i % batches.Length]);
                    Interlocked.Add(ref windows, batchSize);
                }
            }) { IsBackground = true, Name = $"assl-raw-{w + 1}" }).ToArray();
            foreach (var thread in running) thread.Start();
            foreach (var thread in running) thread.Join();
            return Interlocked.Read(ref windows) / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            engine.Dispose();
        }
    }
}
