using System.Text.Json;
using Assl.Model.Checkpoints;
using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Reports;
using Assl.Model.Skeletons;
using Assl.Model.Training;

namespace Assl.Model.Experiments;

/// <summary>
/// Runs one N-UCLA cross-view training from a config and writes everything a person wants afterwards
/// into one folder: the model (saved after every epoch, atomically, so an interrupted run keeps its
/// last good epoch), metrics JSON, confusion matrix and training curves as PNG, and the config.
/// </summary>
public sealed class ExperimentRunner(TrainingConfig config, string outputDirectory)
{
    public const string ModelFile = "model.assl";

    public static string? AblationOf(TrainingConfig config) => config.Method != TrainingMethod.Assl ? null
        : config.LambdaConsistency == 0 ? "consistency"
        : config.LambdaAdversarial == 0 ? "adversarial"
        : config.LambdaInpainting == 0 ? "inpainting"
        : null;

    public static string MethodName(TrainingMethod method) => method switch
    {
        TrainingMethod.Assl => "assl",
        TrainingMethod.Supervised => "supervised",
        TrainingMethod.PseudoLabel => "pseudo-label",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public ExperimentResult Run(IReadOnlyList<SkeletonSample> samples, Action<EpochReport>? onEpoch = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, "config.json"), TrainingConfigFile.ToJson(config));
        var device = AsslTrainer.ResolveDevice(config.Device);
        using var split = PreparedSplit.Create(samples, config, device);
        var layout = samples[0].Sequence.Layout;
        var trainer = new AsslTrainer(config, BodyParts.Of(layout));
        using var network = trainer.CreateNetwork(split.Data);
        var modelPath = Path.Combine(outputDirectory, ModelFile);

        var history = trainer.Train(network, split.Data, (report, net) =>
        {
            CheckpointFile.Save(modelPath, net, Manifest(layout, split, report.TestTop1, report.Epoch));
            onEpoch?.Invoke(report);
        }, ct);

        var evaluation = AsslTrainer.Evaluate(network, split.Data.Test!, split.Data.TestLabels!, views: config.TestTimeViews);
        WriteReports(history, evaluation);
        var seconds = history.Epochs.Count == 0 ? 0 : history.Epochs[^1].ElapsedSeconds;
        return new ExperimentResult(MethodName(config.Method), AblationOf(config), config.LabelRatio, config.Seed,
            evaluation.Top1, seconds, history.Epochs.Count, history.Cancelled, outputDirectory);
    }

    /// <summary>
    /// The model <paramref name="trained"/> trained with this config's settings, evaluated as this config evaluates (its
    /// test-time views) instead of trained again: its model, history and curves are copied here, then metrics and the
    /// confusion matrix are written from the new evaluation. Seconds are the training's plus this evaluation's.
    /// </summary>
    public ExperimentResult Reevaluate(IReadOnlyList<SkeletonSample> samples, Benchmark.TrainedRun trained)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(outputDirectory);
        File.WriteAllText(Path.Combine(outputDirectory, "config.json"), TrainingConfigFile.ToJson(config));
        foreach (var file in new[] { ModelFile, "history.json", "curves.png" })
            if (File.Exists(Path.Combine(trained.Folder, file)))
                File.Copy(Path.Combine(trained.Folder, file), Path.Combine(outputDirectory, file), overwrite: true);
        File.WriteAllText(Path.Combine(outputDirectory, "trained-by.txt"),
            $"The weights are those of {trained.Folder}, which trained with these settings (as each run trains them at its label ratio; test-time views aside); this run only evaluated them.{Environment.NewLine}");

        var device = AsslTrainer.ResolveDevice(config.Device);
        var (network, _) = CheckpointFile.Load(Path.Combine(outputDirectory, ModelFile), device);
        using (network)
        {
            using var split = PreparedSplit.Create(samples, config, device);
            var evaluation = AsslTrainer.Evaluate(network, split.Data.Test!, split.Data.TestLabels!, views: config.TestTimeViews);
            int epochs = config.AtItsLabelRatio().Epochs;
            WriteMetrics(evaluation, epochs, cancelled: false);
            return new ExperimentResult(MethodName(config.Method), AblationOf(config), config.LabelRatio, config.Seed,
                evaluation.Top1, trained.Record.Seconds + clock.Elapsed.TotalSeconds, epochs, false, outputDirectory);
        }
    }

    private ModelManifest Manifest(JointLayout layout, PreparedSplit split, double? top1, int epoch) => new()
    {
        ModelVersion = $"nucla-{MethodName(config.Method)}{(AblationOf(config) is { } a ? "-no-" + a : "")}-r{config.LabelRatio:0.###}-s{config.Seed}-e{epoch}",
        JointLayout = layout.Id,
        ClassNames = NuclaClasses.Names,
        Preprocessing = new PreprocessingManifest(config.Frames, true,
            "canonical metres; centred on the first frames' spine joint; rotated so hip→spine is +Y and the shoulder line +X; linearly resampled to T frames"),
        Network = new AsslNetworkConfig(split.Data.Channels, split.Data.ClassNames.Count, config.Encoder, config.TranslationDim),
        Training = config,
        TrainedOn = config.ValidationView is { } view
            ? $"N-UCLA view {3 - view} ({split.LabelledCount} labelled, {split.UnlabelledCount} unlabelled), validated on view {view} ({split.TestCount})"
            : config.IsValidationRun
            ? $"N-UCLA views 1+2 without subjects {string.Join(",", config.ValidationSubjects!)} ({split.LabelledCount} labelled, {split.UnlabelledCount} unlabelled), validated on those subjects ({split.TestCount})"
            : $"N-UCLA cross-view: train views 1+2{(config.ExcludedSubjects is { Length: > 0 } x ? $" without subjects {string.Join(",", x)}" : "")} " +
              $"({split.LabelledCount} labelled, {split.UnlabelledCount} unlabelled), test view 3 ({split.TestCount})",
        Metrics = top1 is null ? new Dictionary<string, double>()
            : new Dictionary<string, double> { [config.IsValidationRun ? "top1_validation" : "top1_view3"] = top1.Value, ["epoch"] = epoch },
    };

    private string Title => $"{MethodName(config.Method)}{(AblationOf(config) is { } a ? " without " + a : "")}, {config.LabelRatio:P0} labels, seed {config.Seed}";

    private void WriteMetrics(EvaluationResult evaluation, int epochs, bool cancelled)
    {
        var matrix = new ConfusionMatrix(evaluation.Truth, evaluation.Predicted, NuclaClasses.Names);
        File.WriteAllText(Path.Combine(outputDirectory, "metrics.json"), JsonSerializer.Serialize(new
        {
            top1 = evaluation.Top1,
            perClassAccuracy = matrix.PerClassAccuracy,
            classNames = NuclaClasses.Names,
            confusion = matrix.Counts,
            epochs,
            cancelled,
            testTimeViews = config.TestTimeViews?.Count ?? 1,
        }, new JsonSerializerOptions { WriteIndented = true }));
        ConfusionMatrixPlot.SavePng(matrix, Path.Combine(outputDirectory, "confusion.png"), Title);
    }

    private void WriteReports(TrainingHistoryLog history, EvaluationResult evaluation)
    {
        WriteMetrics(evaluation, history.Epochs.Count, history.Cancelled);
        var curves = new TrainingHistory();
        foreach (var e in history.Epochs)
            curves.Add(new EpochRecord(e.Epoch, new Dictionary<string, double>(e.Losses), e.TestTop1, e.LearningRate, e.Seconds));
        File.WriteAllText(Path.Combine(outputDirectory, "history.json"), curves.ToJson());
        if (curves.Epochs.Count > 0)
            TrainingCurvesPlot.SavePng(curves, Path.Combine(outputDirectory, "curves.png"), Title);
    }
}
