using System.CommandLine;
using System.Globalization;
using Assl.Cli.Infrastructure;
using Assl.Model.Datasets;
using Assl.Model.Experiments;
using Assl.Model.Training;

namespace Assl.Cli.Commands;

/// <summary>`assl train`: one N-UCLA cross-view run from a config file, with flags overriding it.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Experiment file from configs/ (JSON overrides of the defaults)." };
        var method = new Option<string?>("--method") { Description = "assl | supervised | pseudo-label" };
        var labels = new Option<string?>("--labels") { Description = "Labelled share of the training views: 0.05 or 5%." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the label split, initialisation and augmentation." };
        var epochs = new Option<int?>("--epochs") { Description = "Training epochs." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (default runs/<method>-r<labels>-s<seed>)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (default ../shared/data/nw-ucla/all_sqe)." };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads." };
        var device = new Option<string?>("--device") { Description = "cpu | cuda | cuda:N" };
        var validation = new Option<string?>("--validation-subjects") { Description = "Tuning mode: hold out these subjects of views 1+2 (e.g. 9,10) and evaluate on them instead of view 3." };
        var validationView = new Option<int?>("--validation-view") { Description = "Cross-view tuning mode: train on the other training view only and evaluate on this one (1 or 2) instead of view 3." };
        var printConfig = new Option<bool>("--print-config")
        {
            Description = "Print the settings the run would use (defaults, the config file and the files it extends, these flags, "
                + "then what the config sets for this label ratio) as JSON, and exit.",
        };
        var command = new Command("train", "Train on N-UCLA (train views 1+2, test view 3); writes model, metrics and plots.")
        {
            config, method, labels, seed, epochs, output, data, threads, device, validation, validationView, printConfig,
        };
        command.SetAction((parse, ct) => Verb.Guard(() =>
        {
            var settings = parse.GetValue(config) is { } file ? TrainingConfigFile.Load(file.FullName) : new TrainingConfig();
            if (parse.GetValue(method) is { } m) settings = settings.ForMethod(ParseMethod(m));
            settings = settings with
            {
                LabelRatio = parse.GetValue(labels) is { } l ? ParseRatio(l) : settings.LabelRatio,
                Seed = parse.GetValue(seed) ?? settings.Seed,
                Epochs = parse.GetValue(epochs) ?? settings.Epochs,
                Threads = parse.GetValue(threads) ?? settings.Threads,
                Device = parse.GetValue(device) ?? settings.Device,
                ValidationSubjects = parse.GetValue(validation) is { } v
                    ? CommaList.Ints(v, "--validation-subjects")
                    : settings.ValidationSubjects,
                ValidationView = parse.GetValue(validationView) ?? settings.ValidationView,
            };
            settings.Validate();
            if (parse.GetValue(printConfig))
            {
                // As the trainer resolves them: a file's aboveLabelRatio and pseudo-label limit change what runs at this ratio.
                Console.Out.WriteLine(TrainingConfigFile.ToJson(settings.AtItsLabelRatio()));
                return Task.FromResult(Verb.Ok);
            }
            var outDir = parse.GetValue(output)?.FullName ?? Path.Combine("runs",
                $"{ExperimentRunner.MethodName(settings.Method)}-r{settings.LabelRatio.ToString("0.###", CultureInfo.InvariantCulture)}-s{settings.Seed}");
            return Task.FromResult(Run(settings, parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(), outDir, Console.Out, ct));
        }));
        return command;
    }

    public static int Run(TrainingConfig settings, string dataDirectory, string outputDirectory, TextWriter output, CancellationToken ct)
    {
        var loaded = NuclaDataset.Load(dataDirectory, new ConsoleProgress("reading N-UCLA", output), ct);
        if (loaded.Rejected.Count > 0)
            output.WriteLine($"{loaded.Rejected.Count} files rejected (see `assl data stats`); training on {loaded.Samples.Count}.");
        output.WriteLine($"training {ExperimentRunner.MethodName(settings.Method)}"
            + (ExperimentRunner.AblationOf(settings) is { } a ? $" without {a}" : "")
            + $", {settings.LabelRatio:P0} labels, seed {settings.Seed}, {settings.Epochs} epochs, device {settings.Device} → {outputDirectory}");
        var result = new ExperimentRunner(settings, outputDirectory).Run(loaded.Samples, r => output.WriteLine(FormatEpoch(r)), ct);
        output.WriteLine(result.Cancelled
            ? $"stopped after {result.Epochs} epochs; the last finished epoch is saved in {Path.Combine(outputDirectory, ExperimentRunner.ModelFile)}"
            : $"done in {result.Seconds:F0} s: top-1 on {settings.EvaluatedOn} = {result.Top1:P1}");
        output.WriteLine($"wrote {outputDirectory}/{{{ExperimentRunner.ModelFile}, metrics.json, confusion.png, curves.png, history.json, config.json}}");
        return Verb.Ok;
    }

    public static string FormatEpoch(EpochReport r)
    {
        var losses = string.Join("  ", r.Losses.Where(p => p.Key != "total").OrderBy(p => p.Key).Select(p => $"{p.Key} {p.Value:F4}"));
        var top1 = r.TestTop1 is { } t ? $" | top-1 {t:P1}" : "";
        var eta = r.EstimatedRemaining;
        var skipped = r.SkippedSteps > 0 ? $" | {r.SkippedSteps} steps skipped (non-finite gradient)" : "";
        return $"epoch {r.Epoch,3}/{r.Epochs}  {losses}{top1}{skipped} | {r.Seconds:F1} s | ETA {(int)eta.TotalMinutes}m{eta.Seconds:00}s";
    }

    public static TrainingMethod ParseMethod(string value) => value.ToLowerInvariant() switch
    {
        "assl" => TrainingMethod.Assl,
        "supervised" => TrainingMethod.Supervised,
        "pseudo-label" or "pseudolabel" or "fixmatch" => TrainingMethod.PseudoLabel,
        _ => throw new ArgumentException($"Unknown method '{value}': use assl, supervised or pseudo-label."),
    };

    public static double ParseRatio(string value) => ParseRatio(value, "--labels");

    public static double ParseRatio(string value, string flag)
    {
        bool percent = value.EndsWith('%');
        if (!double.TryParse(value.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out double ratio))
            throw new ArgumentException($"{flag} '{value}' is not a number (use 0.05 or 5%).");
        if (percent || ratio > 1) ratio /= 100;
        if (ratio is <= 0 or > 1) throw new ArgumentException($"{flag} must be in (0, 1], got {value}.");
        return ratio;
    }
}
