using Assl.Model.Training;

namespace Assl.Model.Tests.Training;

public sealed class TrainingConfigFileTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("assl-configs-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_folder.FullName, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    private const string Base = """
        // a base config, as in configs/
        {
          "method": "assl",
          "epochs": 40,
          "encoder": { "kind": "gcn", "hidden": 64, "layers": 4, "norm": "batch" },
          "consistencyStudent": "masked-strong",
          "lambdaAdversarial": 0.2,
        }
        """;

    [Fact]
    public void AVariantOverridesWhatItNamesAndInheritsTheRestNestedObjectsKeyByKey()
    {
        Write("base.json", Base);
        var path = Write("variant.json", """{ "extends": "base.json", "Epochs": 20, "encoder": { "hidden": 32 }, "lambdaContrastive": 0.5 }""");

        var config = TrainingConfigFile.Load(path);

        Assert.Equal(20, config.Epochs);
        Assert.Equal(0.5, config.LambdaContrastive);
        Assert.Equal(32, config.Encoder.Hidden);
        Assert.Equal("gcn", config.Encoder.Kind);
        Assert.Equal(4, config.Encoder.Layers);
        Assert.Equal("batch", config.Encoder.Norm);
        Assert.Equal(ConsistencyStudent.MaskedStrong, config.ConsistencyStudent);
        Assert.Equal(0.2, config.LambdaAdversarial);
        // What the base does not name keeps the built-in default.
        Assert.Equal(new TrainingConfig().LearningRate, config.LearningRate);
    }

    [Fact]
    public void BasesChainAndResolveRelativeToTheFileThatNamesThem()
    {
        Write("shared/base.json", Base);
        Write("shared/middle.json", """{ "extends": "base.json", "epochs": 30, "lambdaAsslPseudoLabel": 1 }""");
        var path = Write("variant.json", """{ "extends": "shared/middle.json", "epochs": 10 }""");

        var config = TrainingConfigFile.Load(path);

        Assert.Equal(10, config.Epochs);
        Assert.Equal(1, config.LambdaAsslPseudoLabel);
        Assert.Equal("gcn", config.Encoder.Kind);
    }

    [Fact]
    public void ACycleAMissingBaseAndABadExtendsValueAreNamedErrors()
    {
        Write("a.json", """{ "extends": "b.json" }""");
        var b = Write("b.json", """{ "extends": "a.json" }""");
        var cycle = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(b));
        Assert.Contains("extends itself", cycle.Message);
        Assert.Contains("b.json → a.json → b.json", cycle.Message);

        var orphan = Write("orphan.json", """{ "extends": "nowhere.json", "epochs": 3 }""");
        var missing = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(orphan));
        Assert.Contains("orphan.json", missing.Message);
        Assert.Contains("nowhere.json, which does not exist", missing.Message);

        var number = Write("number.json", """{ "extends": 7 }""");
        Assert.Contains("must name a config file", Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(number)).Message);
    }

    [Fact]
    public void ATypoInABaseIsStillAnErrorAndABadMergedValueFailsValidation()
    {
        Write("typo.json", """{ "lambdaConsistensy": 2 }""");
        var variant = Write("variant.json", """{ "extends": "typo.json" }""");
        var typo = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(variant));
        Assert.Contains("lambdaConsistensy", typo.Message);
        Assert.StartsWith(Path.Combine(_folder.FullName, "typo.json") + ":", typo.Message); // the file that holds it, not the variant
        Write("fine.json", Base);
        var wrongType = Write("wrongtype.json", """{ "extends": "fine.json", "epochs": "forty" }""");
        var wrong = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(wrongType));
        Assert.StartsWith(Path.Combine(_folder.FullName, "wrongtype.json") + ":", wrong.Message);
        Assert.Contains("epochs", wrong.Message);

        Write("base.json", Base);
        var weakContrast = Write("weak.json", """{ "extends": "base.json", "consistencyStudent": "weak", "lambdaContrastive": 1 }""");
        var invalid = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(weakContrast));
        Assert.Contains("weak.json", invalid.Message);
        Assert.Contains("LambdaContrastive", invalid.Message);
    }

    [Fact]
    public void ALabelRatioLimitOnThePseudoLabelTermIsReadAndAppliedByRatio()
    {
        Write("base.json", Base);
        var path = Write("low.json", """{ "extends": "base.json", "lambdaAsslPseudoLabel": 1, "flexiblePseudoLabelThreshold": true, "asslPseudoLabelMaxLabelRatio": 0.10 }""");

        var config = TrainingConfigFile.Load(path);

        Assert.Equal(0.10, config.AsslPseudoLabelMaxLabelRatio);
        Assert.True((config with { LabelRatio = 0.05 }).TrainsAsslPseudoLabel);
        Assert.Same(config, config.AtItsLabelRatio());
        var above = (config with { LabelRatio = 0.15 }).AtItsLabelRatio();
        Assert.False(above.TrainsAsslPseudoLabel);
        Assert.Equal(0, above.LambdaAsslPseudoLabel);
        Assert.False(above.FlexiblePseudoLabelThreshold);
        above.Validate();
    }

    [Fact]
    public void SettingsAboveALabelRatioMergeOverTheFilesOwnAtThatRatioOnly()
    {
        Write("base.json", Base);
        var path = Write("switch.json", """
            { "extends": "base.json", "lambdaAsslPseudoLabel": 1, "asslPseudoLabelMaxLabelRatio": 0.10,
              "aboveLabelRatio": { "ratio": 0.10, "settings": { "consistencyStudent": "strong", "encoder": { "hidden": 32 } } } }
            """);

        var config = TrainingConfigFile.Load(path);

        var below = (config with { LabelRatio = 0.05 }).AtItsLabelRatio();
        Assert.Equal(ConsistencyStudent.MaskedStrong, below.ConsistencyStudent);
        Assert.Equal(64, below.Encoder.Hidden);
        Assert.Equal(1, below.LambdaAsslPseudoLabel);
        Assert.Null(below.AboveLabelRatio); // resolved below the bar too: nothing left for higher ratios
        var above = (config with { LabelRatio = 0.15 }).AtItsLabelRatio();
        Assert.Equal(ConsistencyStudent.Strong, above.ConsistencyStudent);
        Assert.Equal(("gcn", 32, 4), (above.Encoder.Kind, above.Encoder.Hidden, above.Encoder.Layers)); // nested objects merge key by key
        Assert.Equal(0, above.LambdaAsslPseudoLabel); // the pseudo-label limit still applies
        Assert.Null(above.AboveLabelRatio);
        Assert.Equal(0.15, above.LabelRatio);
        // What the run writes down reads back the same.
        Assert.Equal(TrainingConfigFile.ToJson(config), TrainingConfigFile.ToJson(TrainingConfigFile.Load(Write("written.json", TrainingConfigFile.ToJson(config)))));
    }

    [Theory]
    [InlineData("""{ "ratio": 1.5, "settings": {} }""", "AboveLabelRatio.Ratio must be in (0, 1)")]
    [InlineData("""{ "ratio": 0.1, "settings": { "consistencyStudnet": "strong" } }""", "consistencyStudnet")]
    [InlineData("""{ "ratio": 0.1, "settings": { "labelRatio": 0.5 } }""", "cannot set labelRatio")]
    [InlineData("""{ "ratio": 0.1, "settings": { "epochs": 0 } }""", "Above label ratio 0.1: Epochs must be positive")]
    public void BadSettingsAboveALabelRatioAreRefusedWhenTheFileLoads(string above, string message)
    {
        var path = Write("bad.json", $$"""{ "aboveLabelRatio": {{above}} }""");
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(path));
        Assert.Contains("bad.json", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void MalformedJsonNamesTheFileAndLine()
    {
        var path = Write("broken.json", "{\n  \"epochs\": 40,\n  \"method\": \n}");
        var e = Assert.Throws<InvalidDataException>(() => TrainingConfigFile.Load(path));
        Assert.Contains("broken.json: line", e.Message);
    }
}
