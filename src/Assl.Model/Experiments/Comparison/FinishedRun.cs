using System.Text.Json;
using Assl.Model.Training;

namespace Assl.Model.Experiments.Comparison;

/// <summary>
/// A training run's output folder (what `assl train --out` writes), read for a comparison: the settings it trained with
/// (config.json, resolved at its label ratio) and its final top-1 (metrics.json). The one test of "this folder holds a
/// finished run" for `assl compare` and for the benchmark's reuse of trained models (<see cref="Benchmark.TrainedRun"/>).
/// </summary>
public sealed record FinishedRun(string Folder, TrainingConfig Config, double Top1)
{
    /// <exception cref="InvalidDataException">The folder holds no finished run: a file is missing or unreadable, or the run stopped early.</exception>
    public static FinishedRun Read(string folder)
    {
        var configPath = Path.Combine(folder, "config.json");
        var metricsPath = Path.Combine(folder, "metrics.json");
        if (!Directory.Exists(folder)) throw new InvalidDataException($"{folder}: no such folder.");
        if (!File.Exists(configPath)) throw new InvalidDataException($"{folder}: no config.json, so not an `assl train` output folder.");
        if (!File.Exists(metricsPath)) throw new InvalidDataException($"{folder}: no metrics.json: the run has not finished (or is still training).");

        TrainingConfig config;
        try
        {
            config = TrainingConfigFile.Load(configPath).AtItsLabelRatio();
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{configPath}: not a training config ({e.Message}).", e);
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(metricsPath));
            var root = json.RootElement;
            if (!root.TryGetProperty("top1", out var top1) || top1.ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{metricsPath}: no top1.");
            if (root.TryGetProperty("cancelled", out var cancelled) && cancelled.ValueKind == JsonValueKind.True)
                throw new InvalidDataException($"{folder}: the run was stopped before its last epoch; its top-1 is not comparable with finished runs.");
            if (!root.TryGetProperty("epochs", out var epochs) || epochs.ValueKind != JsonValueKind.Number)
                throw new InvalidDataException($"{metricsPath}: no epochs, so whether the run finished is unknown.");
            if (epochs.GetInt32() < config.Epochs)
                throw new InvalidDataException($"{folder}: the run trained {epochs.GetInt32()} of its {config.Epochs} epochs; its top-1 is not comparable with finished runs.");
            return new FinishedRun(folder, config, top1.GetDouble());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{metricsPath}: not valid JSON ({e.Message}).", e);
        }
    }
}
