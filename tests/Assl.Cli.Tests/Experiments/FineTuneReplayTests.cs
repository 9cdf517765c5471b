using System.Globalization;
using System.Text.RegularExpressions;
using Assl.Cli.Experiments;
using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Model.Training.FineTuning;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Store;
using Assl.Tests;

namespace Assl.Cli.Tests.Experiments;

/// <summary>`assl experiment finetune`: the loop's trainer replayed on a real store of real N-UCLA windows, real training steps.</summary>
public sealed class FineTuneReplayTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("assl-replay-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string StorePath => Path.Combine(_folder.FullName, "store.db");

    [SkippableFact]
    public async Task ReplaysTheLoopsRunOnceForEachSeedAndReportsValidationAndView3()
    {
        await FillStoreAsync();
        var (runs, output) = await ReplayAsync(null, [1, 2], steps: 3);

        Assert.Equal([1, 2], runs.Select(r => r.TunerSeed));
        Assert.All(runs, r =>
        {
            Assert.Equal(3, r.Steps);
            Assert.InRange(r.ValidationCandidate, 0.0, 1.0);
            Assert.InRange(r.View3Candidate, 0.0, 1.0);
            Assert.False(string.IsNullOrEmpty(r.Reason));
        });
        // The serving model is measured once and is the same reference for every seed.
        Assert.Single(runs.Select(r => r.View3Serving).Distinct());
        Assert.Single(runs.Select(r => r.ValidationServing).Distinct());
        Assert.Contains("this run trains on 12 pseudo-labelled, 12 unlabelled, 26 labelled; validation 191; view 2 held out", output);
        Assert.Contains("mean over 2", output);
    }

    [SkippableFact]
    public async Task AnOracleReplayTrainsOnTheTrueClassesOfTheBodiesInTheTruthFile()
    {
        var samples = await FillStoreAsync();
        // Truth for the pseudo-labelled bodies but the first: it is left out of the oracle's training set.
        var truth = WriteTruth(samples.Select((s, i) => (s, i)).Where(p => p.i % 2 == 0 && p.i > 0).Select(p => $"cam-0\t{p.i + 1}\t{p.s.ClassIndex}"));

        var (runs, output) = await ReplayAsync(new ReplayLabels(ReplayOracle.Windows, truth), [1]);

        Assert.Single(runs);
        Assert.Contains("pseudo-labels with confidence ≥ 0: 12; 100.0 % right of the 11 whose body the truth file knows", output);
        Assert.Contains("oracle: training on the true classes of those 11 windows", output);
        Assert.Contains("this run trains on 11 pseudo-labelled", output);
    }

    [SkippableFact]
    public async Task UnlabelledSequencesReplaceTheStoredUnlabelledWindowsWithTheStreamedClipsWhole()
    {
        await FillStoreAsync();
        int streamed = NuclaDataset.Load(RealData.NuclaDirectory).Samples.Count(s => s.View == 2 && s.Subject is not (9 or 10));

        var (runs, output) = await ReplayAsync(new ReplayLabels(UnlabelledSequences: true), [1]);

        // The stored pseudo-labels stay; only the unlabelled part changes, and every streamed clip is in it.
        Assert.Contains($"this run trains on 12 pseudo-labelled, {streamed} unlabelled, 26 labelled", output);
        Assert.Equal(2, Assert.Single(runs).Steps);
    }

    [SkippableFact]
    public async Task SequenceOraclesTrainOnTheStreamedViewsWholeSequences()
    {
        var samples = await FillStoreAsync();
        // View 2 without the held-out subjects 9 and 10: what the experiment streams.
        int streamed = NuclaDataset.Load(RealData.NuclaDirectory).Samples.Count(s => s.View == 2 && s.Subject is not (9 or 10));

        var (_, labelled) = await ReplayAsync(new ReplayLabels(ReplayOracle.Sequences), [1]);
        Assert.Contains($"oracle: training on {streamed} streamed view-2 sequences, whole and labelled, instead of 12 pseudo-labelled windows", labelled);
        Assert.Contains($"this run trains on {streamed} pseudo-labelled", labelled);

        // The same sequences, labelled by the model where it is sure: fewer, and not all right.
        var (_, pseudo) = await ReplayAsync(new ReplayLabels(ReplayOracle.PseudoSequences, MinConfidence: 0.9f), [1]);
        var sure = Regex.Match(pseudo, @"the serving model labels (\d+) of (\d+) streamed view-2 sequences at ≥ 0.9, ([\d.]+) % of them right");
        Assert.True(sure.Success, pseudo);
        Assert.Equal(streamed, int.Parse(sure.Groups[2].Value));
        Assert.InRange(int.Parse(sure.Groups[1].Value), 1, streamed - 1);
        Assert.InRange(double.Parse(sure.Groups[3].Value, CultureInfo.InvariantCulture), 50.0, 100.0);
        Assert.Contains($"this run trains on {sure.Groups[1].Value} pseudo-labelled", pseudo);

        // The clips whose windows were pseudo-labelled (the even ones, with their true class), whole, with that label.
        var truth = WriteTruth(samples.Select((s, i) => $"cam-{i % 2}\t{i + 1}\t{s.ClassIndex}\t{s.Name}"));
        var (_, gated) = await ReplayAsync(new ReplayLabels(ReplayOracle.GatedSequences, truth), [1]);
        Assert.Contains($"gated sequences: 12 of {streamed} streamed clips had pseudo-labelled windows; their majority label is right for 100.0 %", gated);
        Assert.Contains("this run trains on 12 pseudo-labelled", gated);

        // Of those, the ones the shipped model also names on the whole clip.
        var (_, agreed) = await ReplayAsync(new ReplayLabels(ReplayOracle.AgreedSequences, truth), [1]);
        var kept = Regex.Match(agreed, @"the serving model agrees on (\d+) of 12 gated clips, 100.0 % of them right");
        Assert.True(kept.Success, agreed);
        Assert.Contains($"this run trains on {kept.Groups[1].Value} pseudo-labelled", agreed);
    }

    [Theory]
    [InlineData(ReplayOracle.Windows, 0f)]
    [InlineData(ReplayOracle.GatedSequences, 0f)]
    [InlineData(ReplayOracle.AgreedSequences, 0f)]
    [InlineData(ReplayOracle.None, 1.5f)]
    [InlineData(ReplayOracle.None, float.NaN)]
    public async Task ReplayLabelsThatCannotRunAreRefusedBeforeAnyWork(ReplayOracle oracle, float minConfidence)
    {
        var replay = new FineTuneReplay(new OnlineLearningOptions(), "/nonexistent/store.db", "m.assl", "d", TextWriter.Null, new ReplayLabels(oracle, null, minConfidence));
        await Assert.ThrowsAsync<ArgumentException>(() => replay.RunAsync([1], CancellationToken.None));
    }

    [Fact]
    public async Task AMissingStoreIsAClearError()
    {
        var replay = new FineTuneReplay(new OnlineLearningOptions(), "/nonexistent/store.db", "m.assl", "d", TextWriter.Null);
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => replay.RunAsync([1], CancellationToken.None));
        Assert.Contains("run `assl experiment online` first", e.Message);
    }

    private async Task<(IReadOnlyList<FineTuneReplayRun> Runs, string Output)> ReplayAsync(ReplayLabels? labels, int[] seeds, int steps = 2)
    {
        var options = new OnlineLearningOptions
        {
            LabelledViews = [1], LabelRatio = 0.05, ValidationViews = [1, 2],
            FineTune = new FineTuneConfig { Steps = steps, BatchSize = 4 },
        };
        var output = new StringWriter();
        var runs = await new FineTuneReplay(options, StorePath, RealData.ShippedModel, RealData.NuclaDirectory, output, labels)
            .RunAsync(seeds, CancellationToken.None);
        return (runs, output.ToString());
    }

    private StoredTruth WriteTruth(IEnumerable<string> lines)
    {
        var path = Path.Combine(_folder.FullName, StoredTruth.FileName);
        File.WriteAllLines(path, ["camera\tbody\tclass", .. lines]);
        return StoredTruth.Read(path);
    }

    /// <summary>Twelve view-2 windows as the server stores them (raw positions on 50 frames), pseudo-labelled with their true class, and twelve unlabelled.</summary>
    private async Task<SkeletonSample[]> FillStoreAsync()
    {
        Skip.IfNot(Directory.Exists(RealData.NuclaDirectory), "N-UCLA data not found");
        Skip.IfNot(File.Exists(RealData.ShippedModel), "shipped model not found");
        var samples = NuclaDataset.Load(RealData.NuclaDirectory).Samples.Where(s => s.View == 2 && s.Subject < 9).OrderBy(s => s.Name, StringComparer.Ordinal).Take(24).ToArray();
        var raw = new SkeletonPreprocessor(new PreprocessingOptions { Frames = 50, CentreOnSpine = false, ViewNormalisation = false });
        using var store = SqliteSampleStore.Open(new StoreOptions { Path = StorePath }, _folder.FullName);
        var commands = samples.Select((s, i) =>
        {
            var window = new SampleWindow($"cam-{i % 2}", (ulong)i + 1, i * 2_000_000L, i * 2_000_000L + 1_633_333, s.Sequence.Layout.Id,
                raw.Process(s.Sequence).ToArray(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
            return i % 2 == 0
                ? (StoreCommand)StoreCommand.AddPseudoLabelled(window, new PseudoLabel(s.ClassIndex, 0.99f, "test"))
                : new StoreCommand.AddWindow(window, SampleKind.Unlabelled);
        }).ToArray();
        await store.WriteAsync(commands);
        return samples;
    }
}
