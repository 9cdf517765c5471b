using Assl.Model.Skeletons;
using Assl.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

[Collection("Sequential")]
public sealed class TrainerTests
{
    private static TrainingConfig Tiny(TrainingMethod method, int epochs = 3) => new()
    {
        Method = method,
        Epochs = epochs,
        BatchSize = 8,
        Frames = 10,
        Encoder = new(Hidden: 16, Layers: 1),
        TranslationDim = 8,
        Neighbours = 3,
        RampUpEpochs = 1,
        LearningRate = 3e-3,
    };

    /// <summary>Trains a fresh network on <see cref="TwoClasses"/>, recording the thread's live tensors after every epoch.</summary>
    private static (TrainingHistoryLog History, List<long> Live) TrainCountingLiveTensors(TrainingConfig config, int dataSeed)
    {
        using var data = TwoClasses(dataSeed);
        var trainer = new AsslTrainer(config, BodyParts.Of(JointLayouts.KinectV1));
        using var net = trainer.CreateNetwork(data);
        var live = new List<long>();
        var history = trainer.Train(net, data, (_, _) => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        return (history, live);
    }

    /// <summary>Two separable classes of random sequences (mean offset), 20 labelled, 40 unlabelled.</summary>
    private static TrainingData TwoClasses(int seed)
    {
        var rng = new Random(seed);
        float[] Sample(int cls) => Enumerable.Range(0, 10 * 60).Select(_ => (float)(rng.NextDouble() - 0.5 + (cls == 0 ? -0.3 : 0.3))).ToArray();
        var labels = Enumerable.Range(0, 20).Select(i => i % 2).ToArray();
        var testLabels = Enumerable.Range(0, 20).Select(i => i % 2).ToArray();
        return TrainingData.Create(labels.Select(Sample).ToArray(), labels,
            Enumerable.Range(0, 40).Select(i => Sample(i % 2)).ToArray(),
            testLabels.Select(Sample).ToArray(), testLabels, ["a", "b"], 10, 60, CPU);
    }

    [Theory]
    [InlineData(TrainingMethod.Assl)]
    [InlineData(TrainingMethod.Supervised)]
    [InlineData(TrainingMethod.PseudoLabel)]
    public void EachMethodLearnsSeparableClasses(TrainingMethod method)
    {
        using var data = TwoClasses(1);
        var trainer = new AsslTrainer(Tiny(method, epochs: 4), BodyParts.Of(JointLayouts.KinectV1));
        using var net = trainer.CreateNetwork(data);
        var history = trainer.Train(net, data);
        Assert.Equal(4, history.Epochs.Count);
        Assert.True(history.FinalTop1 >= 0.9, $"{method}: top-1 {history.FinalTop1}");
        if (method == TrainingMethod.Assl)
            Assert.Equal(["adversarial", "ce", "consistency", "inpaint", "total"], history.Epochs[0].Losses.Keys.Order());
    }

    [Theory]
    [InlineData(ConsistencyStudent.Strong)]
    [InlineData(ConsistencyStudent.MaskedWeak)]
    [InlineData(ConsistencyStudent.MaskedStrong)]
    public void ConsistencyWaitsForItsWarmupAndCanTeachAStronglyAugmentedView(ConsistencyStudent student)
    {
        var config = Tiny(TrainingMethod.Assl, epochs: 4) with { ConsistencyWarmupEpochs = 2, ConsistencyStudent = student };
        var (history, live) = TrainCountingLiveTensors(config, dataSeed: 5);

        Assert.All(history.Epochs.Take(2), e => Assert.DoesNotContain("consistency", e.Losses.Keys));
        Assert.All(history.Epochs.Skip(2), e => Assert.True(e.Losses["consistency"] > 0, $"epoch {e.Epoch}: no consistency"));
        Assert.True(history.FinalTop1 >= 0.9, $"top-1 {history.FinalTop1}");
        Assert.True(live[^1] <= live[2], $"live tensors per epoch: {string.Join(", ", live)}");
        Assert.Throws<ArgumentException>(() => new AsslTrainer(config with { ConsistencyWarmupEpochs = -1 }, []));
    }

    [Theory]
    [InlineData(ConsistencyStudent.MaskedWeak)]
    [InlineData(ConsistencyStudent.MaskedStrong)]
    public void AMaskedStudentIsTheInpaintingPassesOwnCopy(ConsistencyStudent student)
    {
        using var data = TwoClasses(8);
        var config = Tiny(TrainingMethod.Assl, epochs: 1) with { ConsistencyStudent = ConsistencyStudent.Strong };
        (int Calls, IReadOnlyDictionary<string, double> Losses) Run(TrainingConfig c)
        {
            var trainer = new AsslTrainer(c, BodyParts.Of(JointLayouts.KinectV1));
            using var net = trainer.CreateNetwork(data);
            int calls = 0;
            var encoder = (nn.Module<Tensor, Tensor>)net.named_children().Single(m => m.name == "encoder").module;
            var hook = encoder.register_forward_hook((_, _, output) => { calls++; return output; });
            var history = trainer.Train(net, data);
            hook.remove();
            return (calls, history.Epochs[0].Losses);
        }

        var strong = Run(config);
        var masked = Run(config with { ConsistencyStudent = student });
        var maskedWithoutInpainting = Run(config with { ConsistencyStudent = student, LambdaInpainting = 0 });

        // 40 unlabelled samples, 4 per half-batch: 10 steps, each one encoder pass fewer than with a strong view of its own.
        Assert.Equal(strong.Calls - 10, masked.Calls);
        Assert.Contains("inpaint", masked.Losses.Keys);
        Assert.True(masked.Losses["consistency"] > 0);
        // Without the reconstruction the student still needs its masked pass, and nothing is decoded.
        Assert.Equal(masked.Calls, maskedWithoutInpainting.Calls);
        Assert.DoesNotContain("inpaint", maskedWithoutInpainting.Losses.Keys);
        Assert.True(maskedWithoutInpainting.Losses["consistency"] > 0);
    }

    [Theory]
    [InlineData(ConsistencyStudent.Weak)]
    [InlineData(ConsistencyStudent.Strong)]
    [InlineData(ConsistencyStudent.MaskedStrong)]
    public void AsslCanAddAPseudoLabelTermBesideTheCentre(ConsistencyStudent student)
    {
        var config = Tiny(TrainingMethod.Assl, epochs: 4) with { LambdaAsslPseudoLabel = 1, PseudoLabelThreshold = 0.6, ConsistencyStudent = student };
        var (history, live) = TrainCountingLiveTensors(config, dataSeed: 7);

        Assert.Equal(["adversarial", "ce", "consistency", "inpaint", "pseudo", "total"], history.Epochs[^1].Losses.Keys.Order());
        Assert.True(history.Epochs[^1].Losses["pseudo"] > 0, "no unlabelled sample reached the threshold");
        Assert.True(history.FinalTop1 >= 0.9, $"top-1 {history.FinalTop1}");
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
        Assert.Throws<ArgumentException>(() => new AsslTrainer(config with { LambdaAsslPseudoLabel = -1 }, []));
    }

    /// <summary>Four epochs of <paramref name="method"/> with a pseudo-label term: the baseline's own, or ASSL's beside the centre.</summary>
    private static TrainingConfig WithPseudoLabels(TrainingMethod method) => Tiny(method, epochs: 4) with
    {
        LambdaAsslPseudoLabel = method == TrainingMethod.Assl ? 1 : 0,
        ConsistencyStudent = ConsistencyStudent.MaskedStrong,
    };

    [Theory]
    [InlineData(TrainingMethod.Assl)]
    [InlineData(TrainingMethod.PseudoLabel)]
    public void PseudoLabelsCanUseFlexibleBarsPerClass(TrainingMethod method)
    {
        var config = WithPseudoLabels(method) with { FlexiblePseudoLabelThreshold = true };
        var (history, live) = TrainCountingLiveTensors(config, dataSeed: 7);

        // The bars start at 0, so the first epoch already has pseudo-labels although the model is untrained.
        Assert.True(history.Epochs[0].Losses["pseudo"] > 0, "no pseudo-label in the first epoch");
        Assert.True(history.FinalTop1 >= 0.9, $"top-1 {history.FinalTop1}");
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
        Assert.Throws<ArgumentException>(() => new AsslTrainer(Tiny(TrainingMethod.Supervised) with { FlexiblePseudoLabelThreshold = true }, []));
        Assert.Throws<ArgumentException>(() => new AsslTrainer(Tiny(TrainingMethod.Assl) with { FlexiblePseudoLabelThreshold = true }, []));
    }

    [Fact]
    public void AsslsPseudoLabelTermCanBeKeptForLowLabelRatiosOnly()
    {
        var flexible = WithPseudoLabels(TrainingMethod.Assl) with { FlexiblePseudoLabelThreshold = true, AsslPseudoLabelMaxLabelRatio = 0.10 };
        var (low, _) = TrainCountingLiveTensors(flexible with { LabelRatio = 0.05 }, dataSeed: 7);
        var (high, _) = TrainCountingLiveTensors(flexible with { LabelRatio = 0.15 }, dataSeed: 7);
        var (without, _) = TrainCountingLiveTensors(WithPseudoLabels(TrainingMethod.Assl) with { LambdaAsslPseudoLabel = 0, LabelRatio = 0.15 }, dataSeed: 7);

        Assert.True(low.Epochs[0].Losses["pseudo"] > 0, "no pseudo-label at a ratio under the limit");
        Assert.DoesNotContain("pseudo", high.Epochs[^1].Losses.Keys);
        // Above the limit the run is the config without the term, step for step.
        Assert.Equal(without.Epochs.Select(e => e.Losses["total"]), high.Epochs.Select(e => e.Losses["total"]));
        Assert.Equal(without.FinalTop1, high.FinalTop1);
        Assert.Throws<ArgumentException>(() => new AsslTrainer(Tiny(TrainingMethod.Assl) with { AsslPseudoLabelMaxLabelRatio = 0.1 }, []));
        Assert.Throws<ArgumentException>(() => new AsslTrainer(flexible with { AsslPseudoLabelMaxLabelRatio = 0 }, []));
    }

    [Fact]
    public void SettingsAboveALabelRatioReplaceTheConfigsOwnAndTrainStepForStepAsIfWrittenInIt()
    {
        var masked = WithPseudoLabels(TrainingMethod.Assl) with { ConsistencyStudent = ConsistencyStudent.MaskedStrong };
        var switching = masked with
        {
            AboveLabelRatio = new LabelRatioSettings(0.10, new System.Text.Json.Nodes.JsonObject { ["consistencyStudent"] = "strong" }),
        };
        var (below, _) = TrainCountingLiveTensors(switching with { LabelRatio = 0.05 }, dataSeed: 7);
        var (maskedBelow, _) = TrainCountingLiveTensors(masked with { LabelRatio = 0.05 }, dataSeed: 7);
        var (above, _) = TrainCountingLiveTensors(switching with { LabelRatio = 0.15 }, dataSeed: 7);
        var (strongAbove, _) = TrainCountingLiveTensors(masked with { LabelRatio = 0.15, ConsistencyStudent = ConsistencyStudent.Strong }, dataSeed: 7);

        Assert.Equal(maskedBelow.Epochs.Select(e => e.Losses["total"]), below.Epochs.Select(e => e.Losses["total"]));
        Assert.Equal(strongAbove.Epochs.Select(e => e.Losses["total"]), above.Epochs.Select(e => e.Losses["total"]));
        Assert.NotEqual(below.Epochs[0].Losses["total"], above.Epochs[0].Losses["total"]);
    }

    [Theory]
    [InlineData(TrainingMethod.Assl)]
    [InlineData(TrainingMethod.PseudoLabel)]
    public void PseudoLabelsCanComeFromAnAveragedTeacher(TrainingMethod method)
    {
        var own = WithPseudoLabels(method) with { PseudoLabelThreshold = 0.6 };
        var (withTeacher, live) = TrainCountingLiveTensors(own with { TeacherDecay = 0.9 }, dataSeed: 7);
        var (withoutTeacher, _) = TrainCountingLiveTensors(own, dataSeed: 7);

        // Same seed, same batches: only where the pseudo-labels come from differs, so the term does too.
        Assert.NotEqual(withoutTeacher.Epochs[0].Losses["pseudo"], withTeacher.Epochs[0].Losses["pseudo"]);
        Assert.True(withTeacher.Epochs[^1].Losses["pseudo"] > 0, "the teacher gave no pseudo-label in the last epoch");
        Assert.True(withTeacher.FinalTop1 >= 0.9, $"top-1 {withTeacher.FinalTop1}");
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
        Assert.Throws<ArgumentException>(() => new AsslTrainer(own with { TeacherDecay = 1 }, []));
        Assert.Throws<ArgumentException>(() => new AsslTrainer(Tiny(TrainingMethod.Assl) with { TeacherDecay = 0.9 }, []));
    }

    [Theory]
    [InlineData(ConsistencyStudent.Strong)]
    [InlineData(ConsistencyStudent.MaskedStrong)]
    public void AsslCanContrastEachClipsTwoViewsAndTheContrastFalls(ConsistencyStudent student)
    {
        var config = Tiny(TrainingMethod.Assl, epochs: 4) with { LambdaContrastive = 1, ConsistencyStudent = student };
        var (history, live) = TrainCountingLiveTensors(config, dataSeed: 7);

        Assert.Equal(["adversarial", "ce", "consistency", "contrastive", "inpaint", "total"], history.Epochs[^1].Losses.Keys.Order());
        Assert.True(history.Epochs[^1].Losses["contrastive"] < history.Epochs[0].Losses["contrastive"],
            $"contrastive loss per epoch: {string.Join(", ", history.Epochs.Select(e => e.Losses["contrastive"]))}");
        Assert.True(history.FinalTop1 >= 0.9, $"top-1 {history.FinalTop1}");
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
        Assert.Throws<ArgumentException>(() => new AsslTrainer(config with { ConsistencyStudent = ConsistencyStudent.Weak }, []));
        Assert.Throws<ArgumentException>(() => new AsslTrainer(config with { ContrastiveTemperature = 0 }, []));
    }

    [Fact]
    public void InpaintingCanBeLimitedToTheUnlabelledSamples()
    {
        // Labelled samples far from the origin make their reconstruction error dominate when they are inpainted.
        var rng = new Random(3);
        float[] Sample(float offset) => Enumerable.Range(0, 10 * 60).Select(_ => (float)(rng.NextDouble() - 0.5) + offset).ToArray();
        var labels = Enumerable.Range(0, 20).Select(i => i % 2).ToArray();
        using var data = TrainingData.Create(labels.Select(_ => Sample(20)).ToArray(), labels,
            Enumerable.Range(0, 40).Select(_ => Sample(0)).ToArray(), labels.Select(_ => Sample(0)).ToArray(), labels, ["a", "b"], 10, 60, CPU);
        double FirstEpochInpainting(InpaintingSamples samples)
        {
            var trainer = new AsslTrainer(Tiny(TrainingMethod.Assl, epochs: 1) with { InpaintingSamples = samples }, BodyParts.Of(JointLayouts.KinectV1));
            using var net = trainer.CreateNetwork(data);
            return trainer.Train(net, data).Epochs[0].Losses["inpaint"];
        }

        double all = FirstEpochInpainting(InpaintingSamples.All), unlabelled = FirstEpochInpainting(InpaintingSamples.Unlabelled);
        Assert.True(unlabelled > 0, "the term must still run");
        Assert.True(unlabelled * 10 < all, $"inpainting loss: all samples {all}, unlabelled only {unlabelled}");
    }

    [Fact]
    public void WithWeightAveragingTheKeptModelIsTheAverageThatWasEvaluated()
    {
        using var data = TwoClasses(6);
        var config = Tiny(TrainingMethod.Assl, epochs: 4) with { WeightAverageDecay = 0.8 };
        var trainer = new AsslTrainer(config, BodyParts.Of(JointLayouts.KinectV1));
        using var net = trainer.CreateNetwork(data);
        var live = new List<long>();
        var history = trainer.Train(net, data, (_, _) => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        Assert.True(history.FinalTop1 >= 0.9, $"top-1 {history.FinalTop1}");
        Assert.Equal(history.FinalTop1, AsslTrainer.Evaluate(net, data.Test!, data.TestLabels!).Top1);
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");

        // An average that barely moves keeps the initial weights, however far the steps took the trained ones.
        using var still = trainer.CreateNetwork(data);
        using var initial = trainer.CreateNetwork(data);
        trainer = new AsslTrainer(config with { WeightAverageDecay = 0.999999, Epochs = 2 }, BodyParts.Of(JointLayouts.KinectV1));
        trainer.Train(still, data);
        var before = initial.parameters().Select(p => p.detach().clone()).ToArray();
        var after = still.parameters().ToArray();
        Assert.All(before.Zip(after), p => Assert.True(p.First.allclose(p.Second, rtol: 0, atol: 1e-3), "the kept weights moved"));
        foreach (var t in before) t.Dispose();
        Assert.Throws<ArgumentException>(() => new AsslTrainer(config with { WeightAverageDecay = 1 }, []));
    }

    [Fact]
    public void TrainingIsRepeatableForASeed()
    {
        double[] Run()
        {
            using var data = TwoClasses(2);
            var trainer = new AsslTrainer(Tiny(TrainingMethod.Assl, epochs: 2), BodyParts.Of(JointLayouts.KinectV1));
            using var net = trainer.CreateNetwork(data);
            return trainer.Train(net, data).Epochs.Select(e => e.Losses["total"]).ToArray();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void NoTensorsAccumulateOverEpochs()
    {
        using var data = TwoClasses(3);
        var trainer = new AsslTrainer(Tiny(TrainingMethod.Assl, epochs: 4), BodyParts.Of(JointLayouts.KinectV1));
        using var net = trainer.CreateNetwork(data);
        var live = new List<long>();
        trainer.Train(net, data, (_, _) => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        // Epoch 1 allocates optimiser state; after that the live count must not grow.
        Assert.True(live[^1] <= live[1], $"live tensors per epoch: {string.Join(", ", live)}");
    }

    [Fact]
    public void CancellationStopsAndReportsIt()
    {
        using var data = TwoClasses(4);
        var trainer = new AsslTrainer(Tiny(TrainingMethod.Supervised, epochs: 50), BodyParts.Of(JointLayouts.KinectV1));
        using var net = trainer.CreateNetwork(data);
        using var cts = new CancellationTokenSource();
        var history = trainer.Train(net, data, (r, _) => { if (r.Epoch == 2) cts.Cancel(); }, cts.Token);
        Assert.True(history.Cancelled);
        Assert.Equal(2, history.Epochs.Count);
    }

    [Fact]
    public void BadConfigIsRefused()
    {
        Assert.Throws<ArgumentException>(() => new AsslTrainer(new TrainingConfig { LabelRatio = 0 }, []));
        Assert.Throws<ArgumentException>(() => new AsslTrainer(new TrainingConfig { BatchSize = 7 }, []));
    }
}
