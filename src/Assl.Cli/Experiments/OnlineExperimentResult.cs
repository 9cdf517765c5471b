using System.Text.Json.Serialization;

namespace Assl.Cli.Experiments;

/// <summary>One fine-tuning run as the experiment saw it.</summary>
/// <param name="TestTop1">View-3 top-1 of the candidate (measured for every candidate, promoted or not, so a refusal can be checked).</param>
/// <param name="DeploymentTop1">Top-1 on the streamed view's held-out subjects (never streamed; part of the loop's validation set when it validates on view 2).</param>
public sealed record ObservedRun(
    [property: JsonPropertyName("candidate")] string Candidate,
    [property: JsonPropertyName("promoted")] bool Promoted,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("validation_top1")] double? ValidationTop1,
    [property: JsonPropertyName("serving_validation_top1")] double? ServingValidationTop1,
    [property: JsonPropertyName("test_top1")] double? TestTop1,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("at_s")] double AtSeconds,
    [property: JsonPropertyName("deployment_top1")] double? DeploymentTop1 = null);

/// <summary>One phase (normal or corrupted pseudo-labels) of the experiment.</summary>
public sealed record PhaseResult(
    [property: JsonPropertyName("corruption")] string Corruption,
    [property: JsonPropertyName("runs")] IReadOnlyList<ObservedRun> Runs,
    [property: JsonPropertyName("end_version")] string EndVersion,
    [property: JsonPropertyName("end_top1")] double EndTop1,
    [property: JsonPropertyName("windows_stored")] long WindowsStored,
    [property: JsonPropertyName("pseudo_labelled")] long PseudoLabelled,
    [property: JsonPropertyName("pseudo_label_precision")] double? PseudoLabelPrecision,
    [property: JsonPropertyName("events")] long Events,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("p99_ms_while_training")] double? P99MsWhileTraining,
    [property: JsonPropertyName("latency_samples_while_training")] int LatencySamplesWhileTraining,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("p99_ms_without_training")] double? P99MsWithoutTraining = null,
    [property: JsonPropertyName("latency_samples_without_training")] int LatencySamplesWithoutTraining = 0,
    [property: JsonPropertyName("end_deployment_top1")] double? EndDeploymentTop1 = null)
{
    public int Promotions => Runs.Count(r => r.Promoted);
    public int Refused => Runs.Count(r => !r.Promoted);
}

/// <summary>The file `docs/results/online.json` holds: the summary fields first, then the detail.</summary>
/// <param name="Promotion">
/// The promotion rules the loop's server ran with (before any <see cref="OnlineExperimentSettings.ServerSettings"/>);
/// null in files written before they were recorded.
/// </param>
public sealed record OnlineExperimentResult(
    [property: JsonPropertyName("start_top1")] double StartTop1,
    [property: JsonPropertyName("end_top1")] double EndTop1,
    [property: JsonPropertyName("promotions")] int Promotions,
    [property: JsonPropertyName("refused")] int Refused,
    [property: JsonPropertyName("corrupted_run_promotions")] int? CorruptedRunPromotions,
    [property: JsonPropertyName("p99_ms_while_training")] double? P99MsWhileTraining,
    [property: JsonPropertyName("p99_ms_without_training")] double? P99MsWithoutTraining,
    [property: JsonPropertyName("start_model")] string StartModel,
    [property: JsonPropertyName("labelled_samples")] int LabelledSamples,
    [property: JsonPropertyName("validation_samples")] int ValidationSamples,
    [property: JsonPropertyName("normal")] PhaseResult Normal,
    [property: JsonPropertyName("corrupted")] PhaseResult? Corrupted,
    [property: JsonPropertyName("settings")] OnlineExperimentSettings Settings,
    [property: JsonPropertyName("machine")] string Machine,
    [property: JsonPropertyName("command")] string Command,
    [property: JsonPropertyName("start_deployment_top1")] double? StartDeploymentTop1 = null,
    [property: JsonPropertyName("end_deployment_top1")] double? EndDeploymentTop1 = null,
    [property: JsonPropertyName("promotion")] Assl.Model.Promotion.PromotionPolicy? Promotion = null);
