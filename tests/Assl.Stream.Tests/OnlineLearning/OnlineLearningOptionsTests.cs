using Assl.Stream.OnlineLearning.Loop;
using Microsoft.Extensions.Configuration;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class OnlineLearningOptionsTests
{
    private static OnlineLearningOptions Bind(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>("OnlineLearning:" + s.Key, s.Value)))
            .Build();
        var options = new OnlineLearningOptions();
        configuration.GetSection(OnlineLearningOptions.SectionName).Bind(options);
        return options;
    }

    [Fact]
    public void ConfiguredViewsAndSubjectsReplaceTheDefaults_NotAppendToThem()
    {
        var options = Bind(("LabelledViews:0", "1"), ("ValidationSubjects:0", "4"));
        Assert.Equal([1], options.EffectiveLabelledViews);
        Assert.Equal([4], options.EffectiveValidationSubjects);
        Assert.Equal([1, 2], new OnlineLearningOptions().EffectiveLabelledViews);
        Assert.Equal([9, 10], new OnlineLearningOptions().EffectiveValidationSubjects);
        Assert.Equal([1], options.EffectiveValidationViews); // follows the labelled views unless set
        Assert.Equal([2], Bind(("LabelledViews:0", "1"), ("ValidationViews:0", "2")).EffectiveValidationViews);
    }

    [Fact]
    public void NestedTrainingAndPromotionSettingsBindAndAreValidated()
    {
        var options = Bind(("FineTune:Steps", "12"), ("Promotion:Tolerance", "0.02"));
        Assert.Equal(12, options.FineTune.Steps);
        Assert.Equal(0.02, options.Promotion.Tolerance);
        Assert.True(new ValidateOnlineLearningOptions().Validate(null, options).Succeeded);

        var bad = new ValidateOnlineLearningOptions().Validate(null, Bind(("FineTune:EmaDecay", "1.5")));
        Assert.True(bad.Failed);
        Assert.Contains("EmaDecay", bad.FailureMessage);
        Assert.True(new ValidateOnlineLearningOptions().Validate(null, Bind(("CorruptPseudoLabels", "sometimes"))).Failed);
        Assert.True(new ValidateOnlineLearningOptions().Validate(null, Bind(("MinNewSamples", "0"))).Failed);
        var niceness = new ValidateOnlineLearningOptions().Validate(null, Bind(("Niceness", "20")));
        Assert.True(niceness.Failed);
        Assert.Contains("Niceness", niceness.FailureMessage);
    }

    [Fact]
    public void AClassAdaptiveFloorAboveTheFixedBarIsRefused()
    {
        var rule = new Assl.Stream.OnlineLearning.Gate.ValidatePseudoLabelThresholds();
        var bad = rule.Validate(null, new() { Threshold = 0.9, MinThreshold = 0.95 });
        Assert.True(bad.Failed);
        Assert.Contains("MinThreshold", bad.FailureMessage);
        Assert.True(rule.Validate(null, new()).Succeeded);
    }
}
