using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Assl.Cli.Infrastructure;
using Assl.Model.Datasets;
using Assl.Model.Experiments;
using Assl.Model.Experiments.Benchmark;
using Assl.Model.Training;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl bench nucla`: the N-UCLA table (ASSL, supervised, pseudo-label, ablations × ratios × seeds).
/// Resumable: runs already recorded are skipped, and each finished run is recorded at once.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var nucla = new Command("nucla", "Run the N-UCLA benchmark and write docs/results/nucla.{json,md}.");
        var ratios = new Option<string?>("--ratios") { Description = "Label ratios to run, e.g. 0.05,0.15 (default 0.05,0.15,0.30,0.40)." };
        var seeds = new Option<string>("--seeds") { Description = "Seeds, e.g. 1,2,3.", DefaultValueFactory = _ => "1,2,3" };
        var only = new Option<string?>("--only") { Description = "Groups to run: assl,supervised,pseudo-label,ablations, or single ablations such as without-adversarial (default all)." };
        var config = new Option<FileInfo?>("--config") { Description = "Base settings for every run (default: the built-in defaults)." };
        var variantConfig = new Option<FileInfo?>("--variant-config") { Description = "Run with this settings file (e.g. a tuned ASSL) and record the runs as a variant named after the file, beside the defaults' rows." };
        var epochs = new Option<int?>("--epochs") { Description = "Override epochs for every run." };
        var results = new Option<DirectoryInfo>("--results") { Description = "Where nucla.json and nucla.md go.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("docs", "results")) };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder." };
        var threads = new Option<int>("--threads") { Description = "libtorch threads per run.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var maxRuns = new Option<int?>("--max-runs") { Description = "Stop after this many new runs (to fit a time budget)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List the runs that would execute, then rewrite the page only." };
        nucla.Options.Add(ratios);
        nucla.Options.Add(seeds);
        nucla.Options.Add(only);
        nucla.Options.Add(config);
        nucla.Options.Add(variantConfig);
        nucla.Options.Add(epochs);
        nucla.Options.Add(results);
        nucla.Options.Add(data);
        nucla.Options.Add(threads);
        nucla.Options.Add(maxRuns);
        nucla.Options.Add(dryRun);
        nucla.SetAction((parse, ct) => Verb.Guard(() =>
        {
            var variantFile = parse.GetValue(variantConfig);
            if (variantFile is not null && parse.GetValue(config) is not null)
                throw new ArgumentException("Give --config or --variant-config, not both.");
            var baseConfig = (parse.GetValue(config) ?? variantFile) is { } f ? TrainingConfigFile.Load(f.FullName) : new TrainingConfig();
            string? variant = variantFile is null ? null : Path.GetFileNameWithoutExtension(variantFile.Name);
            if (baseConfig.IsValidationRun)
                throw new ArgumentException("bench nucla reports view 3, so its config must not set validationView or validationSubjects; tune with `assl train --validation-view 2`.");
            baseConfig = baseConfig with { Epochs = parse.GetValue(epochs) ?? baseConfig.Epochs, Threads = parse.GetValue(threads) };
            var plan = NuclaBenchmarkPlan.Create(
                CommaList.Ints(parse.GetValue(seeds)!, "--seeds"),
                parse.GetValue(ratios) is { } r ? CommaList.Of(r, v => TrainCommand.ParseRatio(v, "--ratios")) : null,
                parse.GetValue(only) is { } o ? o.Split(',', StringSplitOptions.TrimEntries).ToHashSet() : null)
                .Select(s => s with { Variant = variant }).ToList();
            // A variant's runs name their own command on the page; the page's command line stays the defaults'.
            // A dry run only rewrites the page, so the page names the command that runs the benchmark.
            var command = variant is null && !parse.GetValue(dryRun)
                ? RerunCommand.OfThisProcess()
                : RerunCommand.Of(["bench", "nucla"]);
            return Task.FromResult(Run(plan, baseConfig, parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(),
                parse.GetValue(results)!.FullName, parse.GetValue(maxRuns), parse.GetValue(dryRun), command, Console.Out, ct,
                // The page's settings line describes the defaults; a variant's own settings are its file.
                pageConfig: variant is null ? null : new TrainingConfig { Threads = baseConfig.Threads }));
        }));

        var bench = new Command("bench", "Benchmarks that print figures and write docs/results.");
        bench.Subcommands.Add(nucla);
        bench.Subcommands.Add(InferenceBenchCommand.Create());
        bench.Subcommands.Add(InferenceMemoryBenchCommand.Create());
        bench.Subcommands.Add(TrainingStepBenchCommand.Create());
        return bench;
    }

    public static int Run(IReadOnlyList<BenchmarkSpec> plan, TrainingConfig baseConfig, string dataDirectory, string resultsDirectory,
        int? maxRuns, bool dryRun, string command, TextWriter output, CancellationToken ct, TrainingConfig? pageConfig = null)
    {
        var store = new BenchmarkResults(Path.Combine(resultsDirectory, "nucla.json"));
        var pending = plan.Where(s => !store.Contains(s)).ToList();
        output.WriteLine($"{plan.Count} runs planned, {plan.Count - pending.Count} already recorded, {pending.Count} to run.");
        if (maxRuns is { } max) pending = pending.Take(max).ToList();
        if (dryRun)
        {
            foreach (var spec in pending) output.WriteLine($"  would run: {spec}");
        }
        else if (pending.Count > 0)
        {
            var samples = NuclaDataset.Load(dataDirectory, new ConsoleProgress("reading N-UCLA", output), ct).Samples;
            int done = 0;
            foreach (var spec in pending)
            {
                ct.ThrowIfCancellationRequested();
                var config = spec.Apply(baseConfig);
                output.WriteLine($"[{++done}/{pending.Count}] {spec}");
                var runner = new ExperimentRunner(config, Path.Combine(BenchDirectory, spec.Folder));
                // A recorded run that trained the same way (another variant with the same settings at this ratio, or
                // other test-time views) is evaluated again, not retrained.
                var result = TrainedRun.Find(store, BenchDirectory, config) is { } trained
                    ? Reevaluated(runner, samples, trained, output)
                    : runner.Run(samples, r => output.WriteLine("    " + TrainCommand.FormatEpoch(r)), ct);
                if (result.Cancelled) break;
                store.Add(new BenchmarkRecord(spec.Method, spec.Ablation, spec.Labels, spec.Seed, Math.Round(result.Top1, 4), Math.Round(result.Seconds, 1), spec.Variant));
                WritePage(store, resultsDirectory, pageConfig ?? baseConfig, command);
                output.WriteLine($"    top-1 {result.Top1:P1} in {result.Seconds:F0} s");
            }
        }
        WritePage(store, resultsDirectory, pageConfig ?? baseConfig, command);
        output.WriteLine($"wrote {Path.Combine(resultsDirectory, "nucla.md")}");
        return Verb.Ok;
    }

    private static readonly string BenchDirectory = Path.Combine("runs", "bench");

    private static ExperimentResult Reevaluated(ExperimentRunner runner, IReadOnlyList<SkeletonSample> samples, TrainedRun trained, TextWriter output)
    {
        output.WriteLine($"    trains as {trained.Folder} did: evaluating its model instead of training again");
        return runner.Reevaluate(samples, trained);
    }

    private static void WritePage(BenchmarkResults store, string resultsDirectory, TrainingConfig config, string command)
    {
        var machine = $"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}, libtorch threads {config.Threads}, device {config.Device}";
        var settings = $"{config.Epochs} epochs, batch {config.BatchSize}, lr {config.LearningRate.ToString(CultureInfo.InvariantCulture)}, encoder {config.Encoder.Kind} {config.Encoder.Layers}×{config.Encoder.Hidden}, T = {config.Frames}, K = {config.Neighbours}, λ = (inpaint {config.LambdaInpainting}, consistency {config.LambdaConsistency}, adversarial {config.LambdaAdversarial})";
        Directory.CreateDirectory(resultsDirectory);
        // Findings are written by people, in nucla-findings.md beside the results; the page carries them.
        var findingsPath = Path.Combine(resultsDirectory, "nucla-findings.md");
        var findings = File.Exists(findingsPath) ? File.ReadAllText(findingsPath) : null;
        File.WriteAllText(Path.Combine(resultsDirectory, "nucla.md"), NuclaResultsPage.Render(store.Records, command, machine, settings, findings));
    }
}
