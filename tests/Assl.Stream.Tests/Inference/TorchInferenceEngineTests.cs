using Assl.Model.Readers;
using Assl.Stream.Inference;
using Assl.Tests;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Stream.Tests.Inference;

public sealed class TorchInferenceEngineTests
{
    /// <summary>Raw windows (the engine preprocesses them) cut every 5 frames from one real N-UCLA sequence.</summary>
    private static float[][] RealWindows(int count, int frames)
    {
        var sequence = Directory.EnumerateFiles(RealData.NuclaDirectory, "*_v03.json").Order()
            .Select(path => SkeletonReaders.Nucla.Read(path).MainBody.Sequence)
            .First(s => s.FrameCount >= frames + 40);
        return Enumerable.Range(0, count).Select(i => sequence.Slice(i * 5 % (sequence.FrameCount - frames), frames).ToArray()).ToArray();
    }

    [SkippableFact]
    public void ABacklogBatchRunsOnTheBacklogBudget_AndAnswersAsTheNormalBudgetDoes()
    {
        int previous = torch.get_num_threads();
        using var engine = new TorchInferenceEngine(ServingModel.Load(RealData.ShippedModel, CPU), threads: 1, backlogThreads: 2, backlogBatchSize: 8);
        try
        {
            var windows = RealWindows(8, engine.Current.Frames);

            var (single, _) = engine.Predict(windows[..1]);
            Assert.Equal(1, torch.get_num_threads());
            var (backlog, _) = engine.Predict(windows);
            Assert.Equal(2, torch.get_num_threads());
            engine.Predict(windows[..7]);
            Assert.Equal(1, torch.get_num_threads());

            Assert.Equal(single[0].Length, backlog[0].Length);
            for (int c = 0; c < single[0].Length; c++) Assert.Equal(single[0][c], backlog[0][c], 4);
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    [SkippableFact]
    public void PassesRunningSideBySideOnTwoThreadsAnswerAsOnePassAtATime()
    {
        // Batching:Workers > 1 shares one engine and one network between dedicated threads.
        using var engine = new TorchInferenceEngine(ServingModel.Load(RealData.ShippedModel, CPU), threads: 1, backlogThreads: 1);
        var windows = RealWindows(12, engine.Current.Frames);
        var alone = engine.Predict(windows).Probabilities;

        var halves = new float[2][][];
        var threads = Enumerable.Range(0, 2).Select(h => new Thread(() =>
        {
            for (int repeat = 0; repeat < 5; repeat++)
                halves[h] = engine.Predict(windows[(h * 6)..(h * 6 + 6)]).Probabilities;
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a pass never finished");

        var together = halves[0].Concat(halves[1]).ToArray();
        for (int i = 0; i < windows.Length; i++)
            for (int c = 0; c < alone[i].Length; c++)
                Assert.Equal(alone[i][c], together[i][c], 4);
    }

    [Fact]
    public void TheBudgetFollowsTheOptions()
    {
        var options = new InferenceOptions { Threads = 1, BacklogThreads = 3, BacklogBatchSize = 16 };
        using var engine = TorchInferenceEngine.From(ServingModel.Load(RealData.ShippedModel, CPU), options);
        Assert.Equal(1, engine.ThreadsFor(15));
        Assert.Equal(3, engine.ThreadsFor(16));
        Assert.Equal(Environment.ProcessorCount, new InferenceOptions().BacklogThreadsFor(workers: 1));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), new InferenceOptions().ThreadsFor(workers: 1));
        Assert.Equal(1, new InferenceOptions().ThreadsFor(workers: Environment.ProcessorCount));
        Assert.Equal(3, new InferenceOptions { Threads = 3 }.ThreadsFor(workers: 2));
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), new InferenceOptions().BacklogThreadsFor(workers: 2));
        Assert.Equal(5, new InferenceOptions { BacklogThreads = 5 }.BacklogThreadsFor(workers: 2));
    }

    [SkippableFact]
    public void ABatchPaddedToItsShapeAnswersAsTheBatchAtItsOwnSize()
    {
        using var padded = TorchInferenceEngine.From(ServingModel.Load(RealData.ShippedModel, CPU), new InferenceOptions { Threads = 1, BacklogThreads = 1 });
        using var exact = TorchInferenceEngine.From(ServingModel.Load(RealData.ShippedModel, CPU),
            new InferenceOptions { Threads = 1, BacklogThreads = 1, PadToShapes = false });
        Assert.Equal(10, padded.ShapeFor(9));
        Assert.Equal(9, exact.ShapeFor(9));
        // Through the interface, as the batcher asks when it fills padding rows (not the interface's unpadded default).
        Assert.Equal(10, ((IInferenceEngine)padded).ShapeFor(9));

        var windows = RealWindows(17, padded.Current.Frames);
        foreach (int count in new[] { 9, 17 })
        {
            var (withPadding, _) = padded.Predict(windows[..count]);
            var (atOwnSize, _) = exact.Predict(windows[..count]);
            Assert.Equal(count, withPadding.Length);
            for (int i = 0; i < count; i++)
                for (int c = 0; c < atOwnSize[i].Length; c++)
                    Assert.Equal(atOwnSize[i][c], withPadding[i][c], 4);
        }
    }

    [SkippableFact]
    public void APassAnswersTheSameAfterALargerOneReusedItsBuffer()
    {
        // Batches are staged in pooled arrays: the windows of an earlier, larger pass are still in the one the next pass gets.
        using var engine = TorchInferenceEngine.From(ServingModel.Load(RealData.ShippedModel, CPU), new InferenceOptions { Threads = 1, BacklogThreads = 1 });
        var windows = RealWindows(24, engine.Current.Frames);
        var (first, _) = engine.Predict(windows[..3]);
        var (large, _) = engine.Predict(windows[4..]);
        var (again, _) = engine.Predict(windows[..3]);

        Assert.Equal(20, large.Length);
        for (int i = 0; i < first.Length; i++)
            Assert.Equal(first[i], again[i]);
        Assert.NotEqual(first[0], large[0]); // different windows, different answers: the rows are not stale copies
    }
}
