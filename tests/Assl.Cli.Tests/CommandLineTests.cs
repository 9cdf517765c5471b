using Assl.Cli.Commands;

namespace Assl.Cli.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("0.05", 0.05)]
    [InlineData("5%", 0.05)]
    [InlineData("15", 0.15)]
    [InlineData("1", 1.0)]
    public void LabelRatiosAcceptFractionsAndPercentages(string text, double expected) =>
        Assert.Equal(expected, TrainCommand.ParseRatio(text), 9);

    [Theory]
    [InlineData("0")]
    [InlineData("abc")]
    [InlineData("150%")]
    public void BadLabelRatiosAreRefused(string text) =>
        Assert.Throws<ArgumentException>(() => TrainCommand.ParseRatio(text));

    [Fact]
    public async Task CorruptCheckpointFailsWithOneClearLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"assl-bad-{Guid.NewGuid():N}.assl");
        await File.WriteAllTextAsync(path, "definitely not a model, but long enough");
        try
        {
            var (code, error) = await InvokeAsync("model", "info", path);
            Assert.Equal(2, code);
            Assert.Contains("not an Assl checkpoint", error);
            Assert.DoesNotContain("   at ", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TheShippedModelGoesToPyTorchAndComesBackTheSame()
    {
        var work = Directory.CreateTempSubdirectory("assl-pytorch-");
        try
        {
            var stateDict = Path.Combine(work.FullName, "model.pt");
            var back = Path.Combine(work.FullName, "back.assl");
            var (exported, exportError) = await InvokeAsync("model", "export-pytorch", Assl.Tests.RealData.ShippedModel, stateDict);
            Assert.True(exported == 0, exportError);
            var (imported, importError) = await InvokeAsync("model", "import-pytorch", stateDict, back);
            Assert.True(imported == 0, importError);

            var shipped = Assl.Model.Checkpoints.CheckpointFile.ReadManifest(Assl.Tests.RealData.ShippedModel);
            var returned = Assl.Model.Checkpoints.CheckpointFile.ReadManifest(back);
            Assert.Equal(shipped.WeightsSha256, returned.WeightsSha256);
            Assert.Equal(shipped.ModelVersion, returned.ModelVersion);

            var (refused, refusal) = await InvokeAsync("model", "import-pytorch", stateDict, back, "--manifest", Path.Combine(work.FullName, "none.json"));
            Assert.Equal(2, refused);
            Assert.Contains("manifest not found", refusal);
            Assert.DoesNotContain("   at ", refusal);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task UnknownConfigKeysAreRefused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"assl-cfg-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, "{ \"method\": \"assl\", \"lambdaConsistensy\": 2 }");
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => Assl.Model.Training.TrainingConfigFile.Load(path));
            Assert.Contains("lambdaConsistensy", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Runs <c>assl train --print-config</c> with <paramref name="args"/>; the settings it printed, as JSON text.</summary>
    private static async Task<string> PrintedConfigAsync(params string[] args)
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            var (code, error) = await InvokeAsync(["train", .. args, "--print-config"]);
            Assert.True(code == 0, error);
            return output.ToString();
        }
        finally
        {
            Console.SetOut(previous);
        }
    }

    private static string ShippedConfig(string name) => Path.Combine(Assl.Tests.RealData.RepositoryRoot, "configs", name);

    [Fact]
    public async Task AVariantsFileTrainsItsSupervisedBaselineWithTheSameEncoder()
    {
        // The variant's pseudo-label settings belong to terms a supervised run does not have; --method drops them.
        var printed = await PrintedConfigAsync("--config", ShippedConfig("assl_gcn_masked_student_pseudo_label_flexible_low_labels.json"), "--method", "supervised");

        Assert.Contains("\"method\": \"supervised\"", printed);
        Assert.Contains("\"kind\": \"gcn\"", printed);
        Assert.Contains("\"flexiblePseudoLabelThreshold\": false", printed);
        Assert.Contains("\"lambdaAsslPseudoLabel\": 0", printed);
    }

    [Fact]
    public async Task PrintConfigShowsTheSettingsAfterTheBasesAndFlagsAndTrainsNothing()
    {
        var folder = Directory.CreateTempSubdirectory("assl-print-config-");
        try
        {
            // A shipped variant two files deep: assl_gcn_masked_student → its pseudo-label child → this one.
            var printed = await PrintedConfigAsync("--config", ShippedConfig("assl_gcn_masked_student_pseudo_label_contrastive.json"),
                "--epochs", "7", "--out", Path.Combine(folder.FullName, "run"));

            Assert.Contains("\"epochs\": 7", printed);
            Assert.Contains("\"kind\": \"gcn\"", printed);
            Assert.Contains("\"consistencyStudent\": \"masked-strong\"", printed);
            Assert.Contains("\"lambdaAsslPseudoLabel\": 1", printed);
            Assert.Contains("\"lambdaContrastive\": 1", printed);
            Assert.Empty(folder.EnumerateFileSystemInfos());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("0.05", "0.001", "1")]
    [InlineData("0.15", "0.002", "0")]
    public async Task PrintConfigShowsWhatTheConfigSetsForTheLabelRatio(string labels, string learningRate, string pseudoLabelWeight)
    {
        // This file doubles the learning rate above 10 % labels (aboveLabelRatio), and the file it extends keeps the
        // pseudo-label term to 10 % and below: both must show as the run would train them.
        var printed = await PrintedConfigAsync("--config", ShippedConfig("assl_gcn_masked_student_pseudo_label_flexible_low_labels_lr2.json"),
            "--labels", labels);

        Assert.Contains($"\"labelRatio\": {labels}", printed);
        Assert.Contains($"\"learningRate\": {learningRate}", printed);
        Assert.Contains($"\"lambdaAsslPseudoLabel\": {pseudoLabelWeight}", printed);
        Assert.Contains("\"consistencyStudent\": \"masked-strong\"", printed);
    }

    [Fact]
    public void ShippedConfigsLoad()
    {
        // Every training config, the benchmark's variants included (server settings live in server*.json).
        var configs = Directory.GetFiles(Path.Combine(Assl.Tests.RealData.RepositoryRoot, "configs"), "*.json")
            .Where(path => !Path.GetFileName(path).StartsWith("server", StringComparison.Ordinal)).ToArray();
        Assert.Contains(configs, path => path.EndsWith("assl_strong_consistency_unlabelled_inpainting.json", StringComparison.Ordinal));
        foreach (var path in configs)
            Assl.Model.Training.TrainingConfigFile.Load(path);
    }

    [Theory]
    [InlineData("--niceness", "20", "--niceness takes 0 to 19")]
    [InlineData("--validation-views", "1,7", "--validation-views takes views 1 to 3")]
    [InlineData("--baseline-seconds", "-1", "--baseline-seconds must not be negative")]
    [InlineData("--set", "OnlineLearning:FineTune:Steps", "--set takes Section:Key=value")]
    [InlineData("--set", "=600", "--set takes Section:Key=value")]
    public async Task BadOnlineExperimentSettingsFailBeforeAnyWork(string option, string value, string message)
    {
        var work = Directory.CreateTempSubdirectory("assl-exp-");
        try
        {
            var (code, error) = await InvokeAsync("experiment", "online", "--data", work.FullName, "--work", work.FullName, "--results", work.FullName, option, value);
            Assert.Equal(2, code);
            Assert.Contains(message, error);
            Assert.Empty(work.EnumerateFileSystemInfos());
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("--seeds", "1,x", "--seeds takes integers separated by commas, got 'x'")]
    [InlineData("--validation-views", "1,7", "--validation-views takes views 1 to 3, got '7'")]
    [InlineData("--lr", "-1", "LearningRate must be positive")]
    [InlineData("--teacher-threshold", "1.5", "TeacherThreshold must be in [0, 1]")]
    public async Task BadFineTuneReplaySettingsFailWithAClearMessage(string option, string value, string message)
    {
        var (code, error) = await InvokeAsync("experiment", "finetune", "--store", "/nonexistent/store.db", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("--seeds", "1,x", "--seeds takes integers separated by commas, got 'x'")]
    [InlineData("--ratios", "0.3,abc", "--ratios 'abc' is not a number")]
    [InlineData("--ratios", "0", "--ratios must be in (0, 1]")]
    [InlineData("--only", "assl,everything", "Unknown benchmark group 'everything'")]
    public async Task BadBenchmarkSettingsFailWithAClearMessageBeforeAnyRun(string option, string value, string message)
    {
        var results = Path.Combine(Path.GetTempPath(), $"assl-bench-{Guid.NewGuid():N}");
        var (code, error) = await InvokeAsync("bench", "nucla", "--data", "/nonexistent", "--results", results, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(results), "nothing is written before the settings are known to be good");
    }

    [Theory]
    [InlineData("--seconds", "0", "--seconds must be positive")]
    [InlineData("--config", "/nonexistent/settings.json", "Config file not found: /nonexistent/settings.json")]
    public async Task BadTrainingStepBenchSettingsFailWithAClearMessage(string option, string value, string message)
    {
        var (code, error) = await InvokeAsync("bench", "training-step", "--data", "/nonexistent", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task ABenchmarkDryRunRewritesThePageWithTheCommandThatRunsTheBenchmark()
    {
        var results = Directory.CreateTempSubdirectory("assl-bench-");
        try
        {
            File.Copy(Path.Combine(Assl.Tests.RealData.RepositoryRoot, "docs", "results", "nucla.json"), Path.Combine(results.FullName, "nucla.json"));
            var (code, error) = await InvokeAsync("bench", "nucla", "--data", "/nonexistent", "--results", results.FullName, "--dry-run");
            Assert.True(code == 0, error);
            var command = File.ReadLines(Path.Combine(results.FullName, "nucla.md")).Single(line => line.StartsWith("- Command: ", StringComparison.Ordinal));
            Assert.Contains("bench nucla", command);
            Assert.DoesNotContain("--dry-run", command);
        }
        finally
        {
            results.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("NaN")]
    public async Task ALoadTestSpeedThatIsNotPositiveIsRefusedBeforeConnecting(string speed)
    {
        // Nothing listens on port 1: reaching the connection would be a different error.
        var (code, error) = await InvokeAsync("loadtest", "--server", "http://127.0.0.1:1", "--speed", speed);
        Assert.Equal(2, code);
        Assert.Contains("--speed must be positive", error);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    public async Task ALoadTestWithFewerThanOneFramePerMessageIsRefusedBeforeConnecting(string frames)
    {
        var (code, error) = await InvokeAsync("loadtest", "--server", "http://127.0.0.1:1", "--frames-per-message", frames);
        Assert.Equal(2, code);
        Assert.Contains("--frames-per-message must be at least 1", error);
    }

    [Theory]
    [InlineData("-1", "--saturate", "--repeats must be 0 or more")]
    [InlineData("2", null, "it needs --saturate")]
    public async Task RepeatsAreRefusedBeforeConnectingUnlessASaturationRunCanMakeThem(string repeats, string? saturate, string expected)
    {
        string[] args = ["loadtest", "--server", "http://127.0.0.1:1", "--repeats", repeats];
        var (code, error) = await InvokeAsync(saturate is null ? args : [.. args, saturate]);
        Assert.Equal(2, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public void ServerSettingsPassThroughAsTheyWereGiven() =>
        Assert.Equal(["OnlineLearning:FineTune:LearningRate=5e-4", "OnlineLearning:FineTune:Steps=600"],
            ExperimentCommand.ServerSettings(["OnlineLearning:FineTune:LearningRate=5e-4", "OnlineLearning:FineTune:Steps=600"]));

    [Fact]
    public void TheOnlineExperimentRecordsTheFlagsItRanWith()
    {
        Assert.Equal("dotnet run -c Release --project src/Assl.Cli -- experiment online --seed 2 --results '/tmp/a b' --work 'it'\\''s'",
            Assl.Cli.Infrastructure.RerunCommand.Of(["experiment", "online", "--seed", "2", "--results", "/tmp/a b", "--work", "it's"]));
    }

    /// <summary>Runs the CLI as `assl args…` would, with stderr captured: verbs report bad input there.</summary>
    private static async Task<(int Code, string Error)> InvokeAsync(params string[] args)
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            int code = await AsslCommandLine.Build().Parse(args).InvokeAsync();
            return (code, error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
