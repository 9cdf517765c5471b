using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Preprocessing;
using Assl.Model.Promotion;
using Assl.Model.Skeletons;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;
using Assl.Model.Training.FineTuning;
using static TorchSharp.torch;

namespace Assl.Model.Tests.FineTuning;

[Collection("Sequential")]
public sealed class OnlineFineTunerTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    private const int Frames = 20;
    private static readonly AsslNetworkConfig SmallNetwork = new(60, NuclaClasses.Count, new EncoderConfig(Hidden: 32, Layers: 1), 16);

    private static float[] Prepare(SkeletonSample s) =>
        new SkeletonPreprocessor(new PreprocessingOptions { Frames = Frames }).Process(s.Sequence).ToArray();

    [Fact]
    public void CloneHasIdenticalOutputsAndIndependentWeights()
    {
        manual_seed(3);
        using var source = new AsslNetwork(SmallNetwork);
        source.eval();
        using var copy = NetworkCopy.Clone(source, CPU);
        copy.eval();
        using var x = randn(4, Frames, 60);
        using (var a = source.forward(x))
        using (var b = copy.forward(x))
            Assert.True(a.allclose(b), "a clone must predict exactly like its source");

        using (no_grad())
            foreach (var p in copy.parameters()) p.add_(1.0f);
        using var c = source.forward(x);
        using var d = copy.forward(x);
        Assert.False(c.allclose(d), "changing the clone must leave the source alone");
    }

    [Fact]
    public void EmaMovesTeacherByOneMinusDecayOfTheGap()
    {
        manual_seed(4);
        using var teacher = new AsslNetwork(SmallNetwork);
        using var student = NetworkCopy.Clone(teacher, CPU);
        using (no_grad())
            foreach (var p in student.parameters()) p.add_(1.0f);
        var before = teacher.parameters().First().detach().clone();
        NetworkCopy.UpdateEma(teacher, student, decay: 0.75);
        using var after = teacher.parameters().First();
        // t' = 0.75 t + 0.25 (t + 1) = t + 0.25
        Assert.True(after.allclose(before + 0.25f, rtol: 0, atol: 1e-5));
        before.Dispose();
    }

    [SkippableFact]
    public void FineTuningOnRealWindowsTrainsACopyAndLeavesTheServedModelUntouched()
    {
        var samples = nucla.Result.Samples;
        var split = HeldOutSplit.Create(samples, [1], [10], 0.1, seed: 1);
        var view2 = samples.Where(s => s.View == 2).Take(60).ToArray();
        manual_seed(5);
        using var serving = new AsslNetwork(SmallNetwork);
        serving.eval();
        var servingWeights = serving.parameters().Select(p => p.detach().clone()).ToArray();

        using var data = FineTuneData.Create(
            split.Labelled.Select(Prepare).ToArray(), split.Labelled.Select(s => s.ClassIndex).ToArray(),
            view2.Take(30).Select(Prepare).ToArray(), view2.Take(30).Select(s => s.ClassIndex).ToArray(),
            view2.Skip(30).Select(Prepare).ToArray(), Frames, 60, NuclaClasses.Count, CPU);
        var tuner = new OnlineFineTuner(new FineTuneConfig { Steps = 12, BatchSize = 8, LearningRate = 3e-3, EmaDecay = 0.5, LambdaConsistency = 1, Neighbours = 3,
            LambdaTeacher = 1, TeacherThreshold = 0 },
            BodyParts.Of(samples[0].Sequence.Layout));
        int stepsSeen = 0;
        var result = tuner.Run(serving, data, step => stepsSeen = step.Step);
        using var candidate = result.Candidate;

        Assert.Equal(12, result.Steps);
        Assert.Equal(12, stepsSeen);
        foreach (var term in new[] { "ce", "pseudo", "inpaint", "adversarial", "consistency", "teacher", "total" })
            Assert.True(result.MeanLosses.ContainsKey(term) && double.IsFinite(result.MeanLosses[term]), $"loss term {term} missing or not finite");
        Assert.True(serving.parameters().Zip(servingWeights).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)), "the served network must not change");
        Assert.False(candidate.parameters().Zip(servingWeights).All(p => p.First.allclose(p.Second, rtol: 0, atol: 0)), "the candidate must have learned something");
        foreach (var w in servingWeights) w.Dispose();
    }

    [SkippableFact]
    public void EvaluatorComparesCandidateAndServingOnTheSameData()
    {
        var samples = nucla.Result.Samples.Where(s => s.View == 1 && s.Subject == 10).ToArray();
        manual_seed(6);
        using var a = new AsslNetwork(SmallNetwork);
        using var validation = TrainingData.Stack(samples.Select(Prepare).ToArray(), Frames, 60, CPU);
        using var labels = tensor(samples.Select(s => (long)s.ClassIndex).ToArray());
        using var recent = TrainingData.Stack(samples.Take(20).Select(Prepare).ToArray(), Frames, 60, CPU);

        var same = CandidateEvaluator.Evaluate(a, a, validation, labels, recent);
        Assert.Equal(same.CandidateTop1, same.ServingTop1);
        Assert.Equal(1.0, same.Agreement);
        Assert.Equal(20, same.RecentWindows);
        Assert.InRange(same.LabelEntropy, 0.9, 1.0); // N-UCLA's classes are nearly balanced
    }
}
