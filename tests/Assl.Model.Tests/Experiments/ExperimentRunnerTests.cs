using System.Text.Json;
using Assl.Model.Checkpoints;
using Assl.Model.Experiments;
using Assl.Model.Experiments.Benchmark;
using Assl.Model.Preprocessing;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Experiments;

/// <summary>A short real ASSL training on N-UCLA, end to end: data, training, reports, checkpoint.</summary>
[Collection("Sequential")]
public sealed class ExperimentRunnerTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("assl-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [SkippableTheory]
    [InlineData("gru", 64, 1, 0.35)]
    // The graph encoder learns more slowly in the first epochs (41 % here once, 54 % for the GRU): a lower bar, still 2.5 × chance.
    [InlineData("gcn", 32, 2, 0.25)]
    public void ShortAsslRunOnRealNuclaBeatsChanceAndWritesItsReports(string encoder, int hidden, int layers, double atLeast)
    {
        var samples = nucla.Result.Samples;
        var config = new TrainingConfig
        {
            Method = TrainingMethod.Assl,
            LabelRatio = 0.3,
            Epochs = 5,
            Frames = 30,
            Encoder = new(encoder, Hidden: hidden, Layers: layers),
            TranslationDim = 64,
            RampUpEpochs = 1,
            LearningRate = 3e-3,
        };

        var result = new ExperimentRunner(config, _dir).Run(samples);

        // Ten classes: chance is 10 %. A working pipeline gets far beyond it in a few epochs.
        Assert.True(result.Top1 > atLeast, $"top-1 {result.Top1:P1} on view 3");
        Assert.Equal(5, result.Epochs);
        foreach (var file in new[] { "model.assl", "metrics.json", "confusion.png", "curves.png", "history.json", "config.json" })
            Assert.True(new FileInfo(Path.Combine(_dir, file)).Length > 0, file);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "metrics.json")));
        Assert.Equal(result.Top1, metrics.RootElement.GetProperty("top1").GetDouble(), 6);

        // The checkpoint reproduces the reported accuracy on view 3.
        var (network, manifest) = CheckpointFile.Load(Path.Combine(_dir, "model.assl"));
        using (network)
        {
            Assert.Equal("kinect-v1-20", manifest.JointLayout);
            Assert.Equal(encoder, manifest.Network.Encoder.Kind);
            Assert.Equal(30, manifest.Preprocessing.Frames);
            var test = samples.Where(s => s.View == 3).ToArray();
            var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = 30 });
            using var x = TrainingData.Stack(test.Select(s => preprocessor.Process(s.Sequence).ToArray()).ToArray(), 30, 60, CPU);
            using var y = tensor(test.Select(s => (long)s.ClassIndex).ToArray());
            Assert.Equal(result.Top1, AsslTrainer.Evaluate(network, x, y).Top1, 6);
        }
    }

    [Fact]
    public void BenchmarkPlanCoversTheTableAndResumesFromResults()
    {
        var plan = NuclaBenchmarkPlan.Create([1, 2, 3]);
        // 4 ratios × 3 seeds × (ASSL + supervised) + 2 ratios × 3 seeds pseudo-label + 3 ablations × 3 seeds.
        Assert.Equal(24 + 6 + 9, plan.Count);
        Assert.Equal(0.05, plan[0].Labels);
        var two = NuclaBenchmarkPlan.Create([1], [0.05], new HashSet<string> { "without-adversarial", "without-inpainting" });
        Assert.Equal(["adversarial", "inpainting"], two.Select(s => s.Ablation));
        var bad = Assert.Throws<ArgumentException>(() => NuclaBenchmarkPlan.Create([1], null, new HashSet<string> { "ablation" }));
        Assert.Contains("without-adversarial", bad.Message);

        var path = Path.Combine(_dir, "nucla.json");
        var results = new BenchmarkResults(path);
        results.Add(new BenchmarkRecord("assl", null, 0.05, 1, 0.7, 300));
        results.Add(new BenchmarkRecord("assl", "consistency", 0.05, 1, 0.6, 280));
        var reopened = new BenchmarkResults(path);
        Assert.True(reopened.Contains(new BenchmarkSpec("assl", null, 0.05, 1)));
        Assert.True(reopened.Contains(new BenchmarkSpec("assl", "consistency", 0.05, 1)));
        Assert.False(reopened.Contains(new BenchmarkSpec("assl", null, 0.05, 2)));
        Assert.False(reopened.Contains(new BenchmarkSpec("supervised", null, 0.05, 1)));

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var first = json.RootElement[0];
        Assert.Equal(["method", "ablation", "labels", "seed", "top1", "seconds"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, first.GetProperty("ablation").ValueKind);

        var page = NuclaResultsPage.Render(reopened.Records, "cmd", "machine", "settings");
        Assert.Contains("| ASSL (ours) | 70.0 (n=1) |", page);
        Assert.Contains("52.6", page);
    }

    [Fact]
    public void AVariantsBaselinesKeepItsEncoderAndDropTheTermsTheyDoNotHave()
    {
        var variant = new TrainingConfig
        {
            Encoder = new(Kind: "gcn", Hidden: 64, Layers: 4),
            LambdaAsslPseudoLabel = 1,
            FlexiblePseudoLabelThreshold = true,
            TeacherDecay = 0.99,
            AsslPseudoLabelMaxLabelRatio = 0.10,
        };

        var supervised = new BenchmarkSpec("supervised", null, 0.15, 2, "v").Apply(variant);
        var pseudoLabel = new BenchmarkSpec("pseudo-label", null, 0.05, 1, "v").Apply(variant);
        var assl = new BenchmarkSpec("assl", "adversarial", 0.05, 1, "v").Apply(variant);

        supervised.Validate();
        pseudoLabel.Validate();
        assl.Validate();
        Assert.Equal((TrainingMethod.Supervised, 0.15, 2), (supervised.Method, supervised.LabelRatio, supervised.Seed));
        Assert.Equal(variant.Encoder, supervised.Encoder);
        Assert.False(supervised.FlexiblePseudoLabelThreshold);
        Assert.Equal(0, supervised.TeacherDecay);
        // The pseudo-label baseline keeps the variant's own bars and teacher, not ASSL's term.
        Assert.True(pseudoLabel.FlexiblePseudoLabelThreshold);
        Assert.Equal(0.99, pseudoLabel.TeacherDecay);
        Assert.Equal(0, pseudoLabel.LambdaAsslPseudoLabel);
        Assert.Equal((0.10, 0.0), (assl.AsslPseudoLabelMaxLabelRatio!.Value, assl.LambdaAdversarial));
    }

    [Fact]
    public void VariantRunsAreKeptApartFromTheDefaultsAndGetTheirOwnRows()
    {
        var path = Path.Combine(_dir, "variants.json");
        var results = new BenchmarkResults(path);
        results.Add(new BenchmarkRecord("assl", null, 0.05, 1, 0.5, 300));
        results.Add(new BenchmarkRecord("assl", null, 0.05, 1, 0.65, 320, "assl_tuned"));
        results.Add(new BenchmarkRecord("assl", null, 0.05, 1, 0.66, 330, "assl_tuned")); // a rerun replaces
        var reopened = new BenchmarkResults(path);

        Assert.Equal(2, reopened.Records.Count);
        Assert.True(reopened.Contains(new BenchmarkSpec("assl", null, 0.05, 1, "assl_tuned")));
        Assert.False(reopened.Contains(new BenchmarkSpec("assl", null, 0.05, 2, "assl_tuned")));
        Assert.Equal("assl-assl_tuned-r0.05-s1", new BenchmarkSpec("assl", null, 0.05, 1, "assl_tuned").Folder);
        using (var json = JsonDocument.Parse(File.ReadAllText(path)))
        {
            Assert.False(json.RootElement[0].TryGetProperty("variant", out _)); // the documented schema, unchanged for defaults
            Assert.Equal("assl_tuned", json.RootElement[1].GetProperty("variant").GetString());
        }

        var page = NuclaResultsPage.Render(reopened.Records, "cmd", "machine", "settings");
        Assert.Contains("| ASSL (ours) | 50.0 (n=1) |", page);
        Assert.Contains("| ASSL (ours), variant `assl_tuned` | 66.0 (n=1) |", page);
        Assert.DoesNotContain("supervised only (same encoder), variant", page);
        Assert.Contains("configs/assl_tuned.json", page);
    }

    [Fact]
    public void AblationSpecsSwitchOffExactlyOneTerm()
    {
        var config = new BenchmarkSpec("assl", "adversarial", 0.05, 2).Apply(new TrainingConfig());
        Assert.Equal(0, config.LambdaAdversarial);
        Assert.Equal(1, config.LambdaConsistency);
        Assert.Equal(1, config.LambdaInpainting);
        Assert.Equal(2, config.Seed);
        Assert.Equal("adversarial", ExperimentRunner.AblationOf(config));
        Assert.Null(ExperimentRunner.AblationOf(new BenchmarkSpec("supervised", null, 0.05, 1).Apply(new TrainingConfig())));
    }
    [SkippableFact]
    public void ARunThatDiffersOnlyInTestTimeViewsEvaluatesTheTrainedModelInsteadOfTrainingAgain()
    {
        var samples = nucla.Result.Samples;
        var config = new TrainingConfig
        {
            Method = TrainingMethod.Supervised,
            LabelRatio = 0.3,
            Epochs = 1,
            Frames = 20,
            Encoder = new("gru", Hidden: 16, Layers: 1),
            TranslationDim = 16,
        };
        var bench = Path.Combine(_dir, "bench");
        var spec = new BenchmarkSpec("supervised", null, 0.3, 1, "tiny");
        var trained = new ExperimentRunner(config, Path.Combine(bench, spec.Folder)).Run(samples);
        var store = new BenchmarkResults(Path.Combine(_dir, "nucla.json"));
        store.Add(new BenchmarkRecord("supervised", null, 0.3, 1, trained.Top1, trained.Seconds, "tiny"));

        var views = new TestTimeViews([-60, 60]);
        var withViews = config with { TestTimeViews = views };
        var found = TrainedRun.Find(store, bench, withViews);
        Assert.NotNull(found);
        Assert.Equal(Path.Combine(bench, spec.Folder), found.Folder);
        // Anything else that changes training means training.
        Assert.Null(TrainedRun.Find(store, bench, withViews with { Seed = 2 }));
        Assert.Null(TrainedRun.Find(store, bench, withViews with { Epochs = 2 }));
        Assert.Null(TrainedRun.Find(store, bench, withViews with { Encoder = new("gru", Hidden: 32, Layers: 1) }));
        // Another variant whose settings come to the same at this ratio trains the same weights.
        var switching = config with
        {
            Epochs = 3,
            AboveLabelRatio = new LabelRatioSettings(0.2, new System.Text.Json.Nodes.JsonObject { ["epochs"] = 1 }),
        };
        Assert.Equal(found.Folder, TrainedRun.Find(store, bench, switching)?.Folder);
        Assert.Null(TrainedRun.Find(store, bench, switching with { LabelRatio = 0.15 }));
        // And so does one that changes only ratios above this run's.
        LabelRatioSettings SevenEpochsAbove(double ratio) => new(ratio, new System.Text.Json.Nodes.JsonObject { ["epochs"] = 7 });
        Assert.Equal(found.Folder, TrainedRun.Find(store, bench, config with { AboveLabelRatio = SevenEpochsAbove(0.5) })?.Folder);
        Assert.Null(TrainedRun.Find(store, bench, config with { AboveLabelRatio = SevenEpochsAbove(0.25) }));

        var folder = Path.Combine(bench, (spec with { Variant = "tiny_tta" }).Folder);
        var result = new ExperimentRunner(withViews, folder).Reevaluate(samples, found);

        Assert.Equal(File.ReadAllBytes(Path.Combine(found.Folder, "model.assl")), File.ReadAllBytes(Path.Combine(folder, "model.assl")));
        Assert.True(result.Seconds >= trained.Seconds);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json"))))
        {
            Assert.Equal(result.Top1, metrics.RootElement.GetProperty("top1").GetDouble(), 6);
            Assert.Equal(3, metrics.RootElement.GetProperty("testTimeViews").GetInt32());
        }
        Assert.True(TrainingConfigFile.Load(Path.Combine(folder, "config.json")).TestTimeViews is { Count: 3 });
        var (network, _) = CheckpointFile.Load(Path.Combine(folder, "model.assl"));
        using (network)
        {
            using var test = EvaluationSet.Of(samples.Where(s => s.View == 3).ToArray(), 20);
            Assert.Equal(result.Top1, test.Evaluate(network, views).Top1, 6);
            Assert.Equal(trained.Top1, test.Evaluate(network).Top1, 6);
        }

        // A run stopped before its last epoch is not a trained model to reuse.
        var metricsPath = Path.Combine(found.Folder, "metrics.json");
        File.WriteAllText(metricsPath, File.ReadAllText(metricsPath).Replace("\"cancelled\": false", "\"cancelled\": true"));
        Assert.Null(TrainedRun.Find(store, bench, withViews));
    }
}
