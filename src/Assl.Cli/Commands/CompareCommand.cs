using System.CommandLine;
using System.Globalization;
using Assl.Cli.Infrastructure;
using Assl.Model.Experiments.Benchmark;
using Assl.Model.Experiments.Comparison;
using Assl.Model.Training;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl compare`: two settings, seed by seed. `runs` reads `assl train` output folders (tuning-split runs);
/// `bench` reads the benchmark's recorded runs (docs/results/nucla.json). Both print the paired table and the mean
/// difference with its spread, the figures the results pages quote.
/// </summary>
public static class CompareCommand
{
    /// <summary>Settings both sides must share, or the two top-1 figures measure different things.</summary>
    private static readonly string[] MustAgree = ["labelRatio", "validationView", "validationSubjects", "isValidationRun"];

    public static Command Create()
    {
        var compare = new Command("compare", "Compare two settings seed by seed: paired differences, their mean and spread.");
        compare.Subcommands.Add(RunsCommand());
        compare.Subcommands.Add(BenchCommand());
        return compare;
    }

    private static Command RunsCommand()
    {
        var baseline = new Option<string[]>("--baseline") { Description = "Output folders of `assl train` with the baseline's settings, one per seed.", Required = true, AllowMultipleArgumentsPerToken = true };
        var candidate = new Option<string[]>("--candidate") { Description = "Output folders with the candidate's settings, one per seed.", Required = true, AllowMultipleArgumentsPerToken = true };
        var command = new Command("runs", "Compare `assl train` output folders (e.g. tuning-split runs) by seed: config.json says the settings and seed, metrics.json the top-1.")
        {
            baseline, candidate,
        };
        command.SetAction(parse => Verb.Guard(() => Runs(parse.GetValue(baseline)!, parse.GetValue(candidate)!, Console.Out)));
        return command;
    }

    private static Command BenchCommand()
    {
        var baseline = new Argument<string>("baseline") { Description = "variant[:method[:ablation]] as recorded in nucla.json: a variant's name (its config file's) or 'default'; method assl (default), supervised or pseudo-label; ablation consistency, adversarial or inpainting." };
        var candidate = new Argument<string>("candidate") { Description = "The same form as the baseline, e.g. my_variant or my_variant:supervised." };
        var results = new Option<FileInfo>("--results") { Description = "The benchmark's results.", DefaultValueFactory = _ => new FileInfo(Path.Combine("docs", "results", "nucla.json")) };
        var labels = new Option<string?>("--labels") { Description = "Only these label ratios, e.g. 0.15 or 5%,15% (default: every ratio both sides ran)." };
        var command = new Command("bench", "Compare two rows of the N-UCLA benchmark seed by seed, at each label ratio both ran.") { baseline, candidate, results, labels };
        command.SetAction(parse => Verb.Guard(() => Bench(parse.GetValue(results)!.FullName, parse.GetValue(baseline)!, parse.GetValue(candidate)!,
            parse.GetValue(labels) is { } l ? CommaList.Of(l, v => TrainCommand.ParseRatio(v, "--labels")) : null, Console.Out)));
        return command;
    }

    /// <summary>Reads both sides' folders, checks that they compare like with like, and prints the paired table.</summary>
    public static int Runs(IReadOnlyList<string> baselineFolders, IReadOnlyList<string> candidateFolders, TextWriter output)
    {
        var baseline = ReadSide("baseline", baselineFolders);
        var candidate = ReadSide("candidate", candidateFolders);
        var changes = SettingsDifference.Between(baseline[0].Config, candidate[0].Config);
        if (changes.FirstOrDefault(c => MustAgree.Contains(c.Path)) is { } clash)
            throw new ArgumentException($"The two sides are not comparable: {clash.Path} is {clash.Before} for the baseline and {clash.After} for the candidate.");

        var config = baseline[0].Config;
        output.WriteLine($"{Ratio(config.LabelRatio)} % labels, {EvaluatedOn(config)}; baseline {baseline.Count} run(s), candidate {candidate.Count}.");
        output.WriteLine(changes.Count == 0
            ? "The two sides train with the same settings (a repeat: the differences are the machine's and libtorch's nondeterminism)."
            : "Settings that differ (baseline → candidate): " + string.Join("; ", changes.Select(c => $"{c.Path} {c.Before ?? "unset"} → {c.After ?? "unset"}")));
        Print(PairedComparison.Of(baseline.ToDictionary(r => r.Config.Seed, r => r.Top1), candidate.ToDictionary(r => r.Config.Seed, r => r.Top1)), output);
        return Verb.Ok;
    }

    /// <summary>Prints, for each label ratio both sides recorded, the paired table of their runs in the benchmark's results.</summary>
    public static int Bench(string resultsPath, string baselineSpec, string candidateSpec, IReadOnlyList<double>? labels, TextWriter output)
    {
        if (!File.Exists(resultsPath)) throw new FileNotFoundException($"{resultsPath}: no benchmark results there (give --results).", resultsPath);
        var records = new BenchmarkResults(resultsPath).Records;
        var baseline = BenchSide.Parse(baselineSpec);
        var candidate = BenchSide.Parse(candidateSpec);
        var a = records.Where(baseline.Matches).ToList();
        var b = records.Where(candidate.Matches).ToList();
        if (a.Count == 0) throw new ArgumentException($"No recorded run matches the baseline '{baselineSpec}' in {resultsPath}.");
        if (b.Count == 0) throw new ArgumentException($"No recorded run matches the candidate '{candidateSpec}' in {resultsPath}.");

        var ratios = a.Select(r => r.Labels).Intersect(b.Select(r => r.Labels))
            .Where(r => labels is null || labels.Any(l => Math.Abs(l - r) < 1e-9)).Order().ToList();
        if (ratios.Count == 0)
            throw new ArgumentException($"No label ratio that both ran{(labels is null ? "" : " among those asked for")}: the baseline has {Ratios(a)}, the candidate {Ratios(b)}.");
        output.WriteLine($"baseline:  {baseline}");
        output.WriteLine($"candidate: {candidate}");
        foreach (var ratio in ratios)
        {
            output.WriteLine();
            output.WriteLine($"{Ratio(ratio)} % labels, tested on view 3:");
            Print(PairedComparison.Of(Scores(a, ratio), Scores(b, ratio)), output);
        }
        return Verb.Ok;
    }

    private static List<FinishedRun> ReadSide(string side, IReadOnlyList<string> folders)
    {
        if (folders.Count == 0) throw new ArgumentException($"--{side} needs at least one run folder.");
        var runs = folders.Select(FinishedRun.Read).ToList();
        foreach (var group in runs.GroupBy(r => r.Config.Seed).Where(g => g.Count() > 1))
            throw new ArgumentException($"The {side} has two runs of seed {group.Key}: {string.Join(" and ", group.Select(r => r.Folder))}.");
        foreach (var run in runs.Skip(1))
            if (SettingsDifference.Between(runs[0].Config, run.Config).FirstOrDefault() is { } change)
                throw new ArgumentException($"The {side}'s runs do not share their settings: {change.Path} is {change.Before} in {runs[0].Folder} and {change.After} in {run.Folder}. Give one setting's runs a side.");
        return runs;
    }

    private static Dictionary<int, double> Scores(IEnumerable<BenchmarkRecord> records, double ratio)
    {
        var scores = new Dictionary<int, double>();
        foreach (var record in records.Where(r => Math.Abs(r.Labels - ratio) < 1e-9))
            scores[record.Seed] = record.Top1; // the store keeps one record per run, so a seed appears once
        return scores;
    }

    private static void Print(PairedComparison comparison, TextWriter output)
    {
        output.WriteLine("  seed   baseline   candidate   difference");
        foreach (var pair in comparison.Pairs)
            output.WriteLine($"  {pair.Seed,4}   {Percent(pair.Baseline),8}   {Percent(pair.Candidate),9}   {Signed(pair.Difference),10}");
        output.WriteLine($"  mean   {Percent(comparison.MeanBaseline),8}   {Percent(comparison.MeanCandidate),9}   {Signed(comparison.MeanDifference),10}");
        var spread = comparison.Interval95 is { } interval
            ? $"SD of the differences {Percent(comparison.DifferenceSd!.Value)}, standard error {Percent(comparison.StandardError!.Value)}, 95 % interval {Signed(interval.Low)} to {Signed(interval.High)}"
            : "one seed: no spread to measure";
        output.WriteLine($"  paired: {Signed(comparison.MeanDifference)} points over {comparison.Pairs.Count} seed(s) ({spread}); " +
            $"the candidate gains on {comparison.Gains}, loses on {comparison.Losses}, ties on {comparison.Pairs.Count - comparison.Gains - comparison.Losses}");
        if (comparison.BaselineOnly.Count > 0) output.WriteLine($"  left out, only the baseline ran them: seeds {string.Join(", ", comparison.BaselineOnly)}");
        if (comparison.CandidateOnly.Count > 0) output.WriteLine($"  left out, only the candidate ran them: seeds {string.Join(", ", comparison.CandidateOnly)}");
    }

    private static string EvaluatedOn(TrainingConfig config) =>
        config.ValidationView is { } view ? $"trained on view {3 - view}, validated on view {view}"
        : config.ValidationSubjects is { Length: > 0 } subjects ? $"validated on subjects {string.Join(", ", subjects)}"
        : "tested on view 3";

    private static string Ratios(IEnumerable<BenchmarkRecord> records) =>
        string.Join(", ", records.Select(r => r.Labels).Distinct().Order().Select(r => Ratio(r) + " %"));

    private static string Ratio(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture);
    /// <summary>A fraction as percent, or a difference of fractions as points.</summary>
    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture);
    private static string Signed(double fraction) => (fraction * 100).ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>One side of a benchmark comparison: which rows of nucla.json it takes.</summary>
    private sealed record BenchSide(string? Variant, string Method, string? Ablation)
    {
        public static BenchSide Parse(string spec)
        {
            var parts = spec.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length > 3 || parts.Any(p => p.Length == 0))
                throw new ArgumentException($"'{spec}' is not variant[:method[:ablation]] (e.g. default, my_variant:supervised, default:assl:consistency).");
            string method = parts.Length > 1 ? parts[1] : "assl";
            if (method is not ("assl" or "supervised" or "pseudo-label"))
                throw new ArgumentException($"'{spec}': the method is assl, supervised or pseudo-label, not '{method}'.");
            string? ablation = parts.Length > 2 ? parts[2] : null;
            if (ablation is not (null or "consistency" or "adversarial" or "inpainting"))
                throw new ArgumentException($"'{spec}': the ablation is consistency, adversarial or inpainting, not '{ablation}'.");
            // A config file's path or name both name its variant, as `bench nucla --variant-config` records it.
            string variant = Path.GetFileNameWithoutExtension(parts[0]);
            return new BenchSide(variant == "default" ? null : variant, method, ablation);
        }

        public bool Matches(BenchmarkRecord record) => record.Variant == Variant && record.Method == Method && record.Ablation == Ablation;

        public override string ToString() => $"{Variant ?? "the documented defaults"}, {Method}{(Ablation is null ? "" : " without " + Ablation)}";
    }
}
