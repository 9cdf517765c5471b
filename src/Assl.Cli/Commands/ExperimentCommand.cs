using System.CommandLine;
using Assl.Cli.Experiments;
using Assl.Cli.Infrastructure;

namespace Assl.Cli.Commands;

/// <summary>`assl experiment online`: measures the online loop end to end and writes docs/results/online.{json,md}.</summary>
public static class ExperimentCommand
{
    public static Command Create()
    {
        var experiment = new Command("experiment", "End-to-end experiments that produce the results pages.");
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (default: $ASSL_DATA or ../shared/data beside the repository)." };
        var results = new Option<DirectoryInfo>("--results") { Description = "Where online.json and online.md go.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("docs", "results")) };
        var work = new Option<DirectoryInfo>("--work") { Description = "Scratch folder (start model, stores, candidates).", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("runs", "online")) };
        var ratio = new Option<double>("--label-ratio") { Description = "Labelled share of view 1 for the starting model.", DefaultValueFactory = _ => 0.05 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1 };
        var runs = new Option<int>("--runs") { Description = "Fine-tuning runs in the normal phase.", DefaultValueFactory = _ => 4 };
        var corruptedRuns = new Option<int>("--corrupted-runs") { Description = "Runs with corrupted pseudo-labels (0 skips the phase).", DefaultValueFactory = _ => 2 };
        var corruption = new Option<string>("--corruption") { Description = "random or constant.", DefaultValueFactory = _ => "random" };
        var speed = new Option<double>("--speed") { Description = "Replay speed.", DefaultValueFactory = _ => 4.0 };
        var cameras = new Option<int>("--cameras") { DefaultValueFactory = _ => 8 };
        var threshold = new Option<double>("--gate-threshold") { DefaultValueFactory = _ => 0.95 };
        var consecutive = new Option<int>("--gate-consecutive") { DefaultValueFactory = _ => 3 };
        var minNew = new Option<int>("--min-new-samples") { Description = "Stored windows that start a run.", DefaultValueFactory = _ => 400 };
        var significance = new Option<double>("--significance-z") { Description = "Promotion:SignificanceZ (0: plain tolerance margin; 1.64: refuse only a significant loss, paired test).", DefaultValueFactory = _ => 0.0 };
        var steps = new Option<int>("--steps") { Description = "Fine-tuning steps per run.", DefaultValueFactory = _ => 300 };
        var validationViews = new Option<string>("--validation-views") { Description = "Views whose subjects 9 and 10 form the loop's validation set (1: labelled view only; 1,2: also the deployment view). Those subjects are never streamed.", DefaultValueFactory = _ => "1,2" };
        var niceness = new Option<int>("--niceness") { Description = "Nice value of the server's fine-tuning thread (0: normal priority, as before session 4).", DefaultValueFactory = _ => 19 };
        var classAdaptive = new Option<bool>("--class-adaptive") { Description = "Class-adaptive pseudo-label thresholds (PseudoLabels:ClassAdaptive)." };
        var baseline = new Option<int>("--baseline-seconds") { Description = "Seconds each phase first streams with the loop paused, to measure serving latency without training (0 skips it).", DefaultValueFactory = _ => 60 };
        var set = new Option<string[]>("--set") { Description = "Further server configuration, Section:Key=value (e.g. OnlineLearning:FineTune:LearningRate=5e-4); repeatable." };
        var startModels = new Option<DirectoryInfo?>("--start-models") { Description = "Folder where starting models are kept and reused across work folders (default: the work folder)." };
        var pageOnly = new Option<bool>("--page-only") { Description = "Only rewrite online.md from online.json (and online-findings.md)." };
        var online = new Command("online", "Start from a few-label model, stream view 2 through a real server, let the loop learn; measure view 3. Writes online.json/.md.")
        {
            data, results, work, ratio, seed, runs, corruptedRuns, corruption, speed, cameras, threshold, consecutive, minNew, steps, significance, validationViews, niceness, classAdaptive, baseline, set, startModels, pageOnly,
        };
        online.SetAction((parse, ct) => Verb.Guard(async () =>
        {
            if (parse.GetValue(pageOnly))
            {
                Console.WriteLine($"wrote {OnlineResultsPage.Rewrite(parse.GetValue(results)!.FullName)}");
                return Verb.Ok;
            }
            var dataPath = parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla();
            if (!Directory.Exists(dataPath)) throw new DirectoryNotFoundException($"N-UCLA data not found at {dataPath}: pass --data or set ASSL_DATA.");
            int nice = parse.GetValue(niceness), baselineSeconds = parse.GetValue(baseline);
            if (nice is < 0 or > 19) throw new ArgumentException($"--niceness takes 0 to 19, got {nice}.");
            if (baselineSeconds < 0) throw new ArgumentException("--baseline-seconds must not be negative.");
            var settings = new OnlineExperimentSettings(dataPath, parse.GetValue(work)!.FullName, parse.GetValue(results)!.FullName,
                LabelRatio: parse.GetValue(ratio), Seed: parse.GetValue(seed), Runs: parse.GetValue(runs), CorruptedRuns: parse.GetValue(corruptedRuns),
                Corruption: parse.GetValue(corruption)!, Cameras: parse.GetValue(cameras), Speed: parse.GetValue(speed),
                GateThreshold: parse.GetValue(threshold), GateConsecutive: parse.GetValue(consecutive), MinNewSamples: parse.GetValue(minNew),
                FineTuneSteps: parse.GetValue(steps), SignificanceZ: parse.GetValue(significance),
                ValidationViews: CommaList.Views(parse.GetValue(validationViews)!, "--validation-views"),
                Niceness: nice,
                ClassAdaptive: parse.GetValue(classAdaptive),
                BaselineSeconds: baselineSeconds,
                ServerSettings: ServerSettings(parse.GetValue(set) ?? []),
                StartModelsDirectory: parse.GetValue(startModels)?.FullName);
            var result = await new OnlineExperiment(settings, Console.Out).RunAsync(ct);
            var (json, md) = OnlineResultsPage.Write(result, settings.ResultsDirectory);
            Console.WriteLine($"wrote {json} and {md}");
            return Verb.Ok;
        }));
        experiment.Subcommands.Add(online);
        experiment.Subcommands.Add(FineTuneReplayCommand.Create());
        return experiment;
    }

    /// <summary>Each --set must be Section:Key=value; a malformed one fails here, not when the server starts twenty minutes in.</summary>
    public static string[] ServerSettings(IEnumerable<string> settings) => settings.Select(x =>
    {
        int eq = x.IndexOf('=');
        if (eq <= 0 || eq == x.Length - 1 || x.StartsWith('-'))
            throw new ArgumentException($"--set takes Section:Key=value (e.g. OnlineLearning:FineTune:LearningRate=5e-4), got '{x}'.");
        return x;
    }).ToArray();
}
