using System.Globalization;
using Assl.Cli.Commands;
using Assl.Cli.Infrastructure;
using Assl.Model.Experiments.Benchmark;
using Assl.Model.Training;

namespace Assl.Cli.Tests;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("assl-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Repository(params string[] parts) => Path.Combine([Assl.Tests.RealData.RepositoryRoot, .. parts]);

    [Fact]
    public void BenchPairsTheRecordedRunsOfTwoRowsByLabelRatioAndSeed()
    {
        // The committed results: the low-labels config's ASSL against its supervised baseline at 5 %, five seeds each.
        const string Variant = "assl_gcn_masked_student_pseudo_label_flexible_low_labels";
        var records = new BenchmarkResults(Repository("docs", "results", "nucla.json")).Records
            .Where(r => r.Variant == Variant && r.Ablation is null && Math.Abs(r.Labels - 0.05) < 1e-9).ToList();
        var assl = records.Where(r => r.Method == "assl").ToDictionary(r => r.Seed, r => r.Top1);
        var supervised = records.Where(r => r.Method == "supervised").ToDictionary(r => r.Seed, r => r.Top1);
        var seeds = assl.Keys.Intersect(supervised.Keys).Order().ToList();
        Assert.True(seeds.Count >= 3, "the committed results hold the 5 % rows of both");
        var output = new StringWriter();

        int code = CompareCommand.Bench(Repository("docs", "results", "nucla.json"), $"{Variant}:supervised", $"configs/{Variant}.json", [0.05], output);

        Assert.Equal(Verb.Ok, code);
        var lines = output.ToString().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("5 % labels, tested on view 3", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("15 % labels", StringComparison.Ordinal));
        foreach (int seed in seeds)
        {
            var row = Assert.Single(lines, l => l.StartsWith("  ", StringComparison.Ordinal) && l.TrimStart().StartsWith(seed.ToString(CultureInfo.InvariantCulture) + " ", StringComparison.Ordinal));
            Assert.Contains(Percent(supervised[seed]), row);
            Assert.Contains(Percent(assl[seed]), row);
        }
        double mean = seeds.Average(s => assl[s] - supervised[s]) * 100;
        Assert.Contains($"paired: +{mean.ToString("0.0", CultureInfo.InvariantCulture)} points over {seeds.Count} seed(s)", output.ToString());
    }

    [Fact]
    public void RunsNamesTheSettingThatDiffersAndPairsTheFoldersBySeed()
    {
        var baseline = new[] { Run("a1", "assl_gcn_masked_student.json", 1, 0.60), Run("a2", "assl_gcn_masked_student.json", 2, 0.70) };
        var candidate = new[] { Run("b2", "assl_gcn_masked_student_lr4.json", 2, 0.75), Run("b1", "assl_gcn_masked_student_lr4.json", 1, 0.58) };
        var output = new StringWriter();

        Assert.Equal(Verb.Ok, CompareCommand.Runs(baseline, candidate, output));

        var text = output.ToString();
        Assert.Contains("15 % labels, trained on view 1, validated on view 2", text);
        Assert.Contains("Settings that differ (baseline → candidate): learningRate 0.001 → 0.004", text);
        Assert.Matches(@"\n\s+1\s+60\.0\s+58\.0\s+−2\.0", text);
        Assert.Matches(@"\n\s+2\s+70\.0\s+75\.0\s+\+5\.0", text);
        Assert.Contains("paired: +1.5 points over 2 seed(s)", text);
        Assert.Contains("the candidate gains on 1, loses on 1, ties on 0", text);
    }

    [Fact]
    public async Task RunsOfDifferentLabelRatiosOrMixedSettingsOrTwiceTheSameSeedAreRefused()
    {
        var at15 = Run("a", "assl_gcn_masked_student.json", 1, 0.6);
        var at5 = Run("b", "assl_gcn_masked_student.json", 1, 0.5, labels: 0.05);
        var otherSetting = Run("c", "assl_gcn_masked_student_lr4.json", 2, 0.6);
        var sameSeed = Run("d", "assl_gcn_masked_student.json", 1, 0.65);

        Assert.Contains("not comparable: labelRatio is 0.15 for the baseline and 0.05 for the candidate", await Refusal([at15], [at5]));
        Assert.Contains("do not share their settings: learningRate", await Refusal([at15, otherSetting], [at15]));
        Assert.Contains("two runs of seed 1", await Refusal([at15], [at15, sameSeed]));
        Assert.Contains("no config.json, so not an `assl train` output folder", await Refusal([at15], [Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName]));
    }

    [Fact]
    public async Task BenchRefusesARowNobodyRanAndABadSpecWithTheReason()
    {
        var results = Repository("docs", "results", "nucla.json");
        var error = new StringWriter();

        int code = await Verb.Guard(() => Task.FromResult(CompareCommand.Bench(results, "default", "no_such_variant", null, TextWriter.Null)), error);
        Assert.Equal(Verb.BadInput, code);
        Assert.Contains("No recorded run matches the candidate 'no_such_variant'", error.ToString());

        error = new StringWriter();
        await Verb.Guard(() => Task.FromResult(CompareCommand.Bench(results, "default:fixmatch", "default", null, TextWriter.Null)), error);
        Assert.Contains("the method is assl, supervised or pseudo-label, not 'fixmatch'", error.ToString());
    }

    private async Task<string> Refusal(string[] baseline, string[] candidate)
    {
        var error = new StringWriter();
        int code = await Verb.Guard(() => Task.FromResult(CompareCommand.Runs(baseline, candidate, TextWriter.Null)), error);
        Assert.Equal(Verb.BadInput, code);
        return error.ToString();
    }

    /// <summary>A run folder as `assl train --labels 0.15 --validation-view 2 --out` leaves it, with the given final top-1.</summary>
    private string Run(string name, string configFile, int seed, double top1, double labels = 0.15)
    {
        var config = TrainingConfigFile.Load(Repository("configs", configFile)) with { LabelRatio = labels, Seed = seed, ValidationView = 2 };
        var folder = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), TrainingConfigFile.ToJson(config));
        File.WriteAllText(Path.Combine(folder, "metrics.json"), $$"""{ "top1": {{top1.ToString(CultureInfo.InvariantCulture)}}, "epochs": {{config.Epochs}}, "cancelled": false }""");
        return folder;
    }

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);
}
