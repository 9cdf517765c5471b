using Assl.Model.Experiments;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Experiments;

public sealed class ValidationSplitTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    [SkippableFact]
    public void TuningModeEvaluatesOnHeldOutSubjectsOfTheTrainingViews_NeverOnView3()
    {
        var samples = nucla.Result.Samples;
        var config = new TrainingConfig { LabelRatio = 0.05, Seed = 1, ValidationSubjects = [9, 10] };
        using var split = PreparedSplit.Create(samples, config, CPU);

        int held = samples.Count(s => s.View is 1 or 2 && s.Subject is 9 or 10);
        Assert.Equal(held, split.TestCount);
        Assert.Equal(samples.Count(s => s.View is 1 or 2) - held, split.LabelledCount + split.UnlabelledCount);

        using var crossView = PreparedSplit.Create(samples, config with { ValidationSubjects = null }, CPU);
        Assert.Equal(464, crossView.TestCount);

        using var excluded = PreparedSplit.Create(samples, config with { ValidationSubjects = null, ExcludedSubjects = [9, 10] }, CPU);
        Assert.Equal(464, excluded.TestCount);
        Assert.Equal(samples.Count(s => s.View is 1 or 2) - held, excluded.LabelledCount + excluded.UnlabelledCount);
    }

    [SkippableFact]
    public void CrossViewTuningTrainsOnOneTrainingViewAndEvaluatesOnTheOther()
    {
        var samples = nucla.Result.Samples;
        var config = new TrainingConfig { LabelRatio = 0.05, Seed = 1, ValidationView = 2 };
        using var split = PreparedSplit.Create(samples, config, CPU);

        Assert.True(config.IsValidationRun);
        Assert.Equal("validation view 2", config.EvaluatedOn);
        Assert.Equal("validation subjects 9,10", (config with { ValidationView = null, ValidationSubjects = [9, 10] }).EvaluatedOn);
        Assert.Equal("view 3", new TrainingConfig().EvaluatedOn);
        Assert.Equal(samples.Count(s => s.View == 2), split.TestCount);
        Assert.Equal(samples.Count(s => s.View == 1), split.LabelledCount + split.UnlabelledCount);
        Assert.Throws<ArgumentException>(() => (config with { ValidationView = 3 }).Validate());
        Assert.Throws<ArgumentException>(() => (config with { ValidationSubjects = [9] }).Validate());
    }
}
