using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Skeletons;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;

namespace Assl.Model.Tests.Training;

[Collection("Sequential")]
public sealed class TrainingStepCostTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    private static TrainingConfig Small => new()
    {
        BatchSize = 8,
        Frames = 20,
        Encoder = new EncoderConfig("gcn", Hidden: 16, Layers: 2, Norm: "batch"),
        TranslationDim = 8,
    };

    [SkippableFact]
    public void TimesEveryPassOfAStepOnRealWindowsAndAddsThemUpPerMethod()
    {
        using var set = EvaluationSet.Of(nucla.Result.Samples.Take(10).ToArray(), frames: 20);
        var cost = TrainingStepTimer.Measure(Small, set.Windows, set.Labels, NuclaClasses.Count, BodyParts.Of(JointLayouts.KinectV1), 0.02);

        Assert.Equal(4, cost.HalfBatch);
        foreach (var ms in new[] { cost.EncoderPass, cost.JointPass, cost.Inpainting, cost.Decoder, cost.Optimizer })
            Assert.True(double.IsFinite(ms) && ms > 0, $"{cost}");
        Assert.Equal(cost.EncoderPass + cost.Optimizer, cost.SupervisedStep);
        Assert.Equal(cost.JointPass + cost.Inpainting + cost.EncoderPass + cost.Optimizer, cost.AsslStep(inpainting: true, strongView: true));
        Assert.Equal(cost.JointPass + cost.Optimizer, cost.AsslStep(inpainting: false, strongView: false));
        // The defaults inpaint both halves and train the weak view: the step is the joint pass and the masked copy.
        Assert.Equal(8, cost.InpaintedWindows);
        Assert.Equal(cost.AsslStep(inpainting: true, strongView: false), cost.AsslStep(Small));
        Assert.Equal(cost.AsslStep(inpainting: true, strongView: true), cost.AsslStep(Small with { ConsistencyStudent = ConsistencyStudent.Strong }));
        // The masked strong student is the inpainting pass's own copy; without the inpainting term it needs a pass again.
        var masked = Small with { ConsistencyStudent = ConsistencyStudent.MaskedStrong };
        Assert.Equal(cost.AsslStep(inpainting: true, strongView: false), cost.AsslStep(masked));
        Assert.Equal(cost.AsslStep(inpainting: false, strongView: true), cost.AsslStep(masked with { LambdaInpainting = 0 }));
    }

    [SkippableFact]
    public void FewerWindowsThanABatchAreRefused()
    {
        using var set = EvaluationSet.Of(nucla.Result.Samples.Take(6).ToArray(), frames: 20);
        var e = Assert.Throws<ArgumentException>(() =>
            TrainingStepTimer.Measure(Small, set.Windows, set.Labels, NuclaClasses.Count, BodyParts.Of(JointLayouts.KinectV1), 0.02));
        Assert.Contains("at least 8 windows", e.Message);
    }
}
