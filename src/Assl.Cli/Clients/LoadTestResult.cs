using System.Text.Json;
using System.Text.Json.Serialization;

namespace Assl.Cli.Clients;

/// <summary>One load-test run, as written to --json and appended to the serving results list.</summary>
public sealed record LoadTestResult
{
    public int Streams { get; init; }
    public double Fps { get; init; }
    public double Seconds { get; init; }
    public double FramesPerS { get; init; }
    public double? WindowsPerS { get; init; }
    public double? RawWindowsPerS { get; init; }

    /// <summary>The batch size <see cref="RawWindowsPerS"/> was measured at (the best of <see cref="RawThroughput.BatchSizes"/>); null for runs recorded at 64 only, before it was asked.</summary>
    public int? RawBatchSize { get; init; }

    /// <summary>
    /// A saturation step's raw figures, measured just before and just after it (<see cref="RawWindowsPerS"/> is their mean):
    /// the machine's speed drifts by more than the target's margin within minutes. Null for paced runs and older records.
    /// </summary>
    public double? RawBeforeWindowsPerS { get; init; }

    /// <inheritdoc cref="RawBeforeWindowsPerS"/>
    public double? RawAfterWindowsPerS { get; init; }

    /// <summary>
    /// A saturation run's peak: the most windows/s any of its steps ran, sustained or not (the step just past the knee, where
    /// the queue grows but nothing is dropped yet). <see cref="WindowsPerS"/> is the best step that also kept p99 within bounds.
    /// </summary>
    public double? PeakWindowsPerS { get; init; }

    /// <summary>The replay speed of the <see cref="PeakWindowsPerS"/> step.</summary>
    public double? PeakSpeed { get; init; }

    /// <summary>The raw figure around the <see cref="PeakWindowsPerS"/> step (mean of before and after).</summary>
    public double? PeakRawWindowsPerS { get; init; }

    /// <summary>Steps run again at the sustained speed after a saturation search (<see cref="LoadTestSettings.Repeats"/>); null when none were asked.</summary>
    public int? Repeats { get; init; }

    /// <summary>How many of the <see cref="Repeats"/> were sustained again (no drop, p99 within bounds).</summary>
    public int? RepeatsSustained { get; init; }

    /// <summary>Each repeat's windows/s over the raw figure around it (0.85 = 85 %); null without raw measurements or repeats.</summary>
    public double[]? RepeatRatios { get; init; }

    /// <summary>The median of <see cref="RepeatRatios"/>: where the service sits against raw, less at the mercy of one minute of the host's speed than one step.</summary>
    public double? RepeatMedianRatio => RepeatRatios is { Length: > 0 } ratios ? Math.Round(LatencyRecorder.Percentile([.. ratios], 50), 4) : null;
    public double? P50Ms { get; init; }
    public double? P95Ms { get; init; }
    public double? P99Ms { get; init; }
    public double? DroppedWindows { get; init; }
    public double? RssMbStart { get; init; }
    public double? RssMbEnd { get; init; }
    public bool Saturated { get; init; }

    /// <summary>"staggered" or "lockstep" (<see cref="StreamStart"/>); runs recorded before the choice existed were lockstep.</summary>
    public string Start { get; init; } = "lockstep";

    /// <summary>Camera time per wall time: 1 live; a saturated run's winning step is faster.</summary>
    public double Speed { get; init; } = 1;

    /// <summary>Frames per message: 1 = Ingest, a message per frame as cameras send them; more = IngestBatched.</summary>
    public int FramesPerMessage { get; init; } = 1;

    /// <summary>Server CPU over the measured interval, in cores (1.0 = one core busy).</summary>
    public double? ServerCpuCores { get; init; }

    /// <summary>
    /// The server's inference threads' CPU over the measured interval, in cores (<c>assl_inference_cpu_seconds_total</c>; null
    /// where the server cannot measure it). <see cref="ServerCpuCores"/> minus this is what gRPC, windowing and events took.
    /// </summary>
    public double? InferenceCpuCores { get; init; }

    /// <summary>
    /// The server's online fine-tuning thread's CPU over the measured interval, in cores (<c>assl_finetune_cpu_seconds_total</c>; null
    /// where the server cannot measure it or never fine-tuned since it started).
    /// </summary>
    public double? FineTuneCpuCores { get; init; }

    /// <summary>The load generator's own CPU over the measured interval, in cores: on one host, cores the server did not have.</summary>
    public double? GeneratorCpuCores { get; init; }

    /// <summary>The cores the raw measurement used (mean of before and after, for a saturation step): what the model had alone.</summary>
    public double? RawCpuCores { get; init; }

    /// <summary>Online fine-tuning steps the server took during the measured interval (0: it did not train; null: no metrics).</summary>
    public double? FineTuneSteps { get; init; }

    /// <summary>The server fine-tuned while it was measured: such runs are kept beside, not instead of, the same load without training.</summary>
    public bool WhileTraining => FineTuneSteps > 0;

    /// <summary>What the server's CPU did besides the model and fine-tuning: gRPC, windowing, events (and fine-tuning too, from a server that cannot tell it apart).</summary>
    [JsonIgnore]
    public double? RestOfServerCpuCores => ServerCpuCores - InferenceCpuCores - (FineTuneCpuCores ?? 0) is { } rest ? Math.Max(0, rest) : null;

    /// <summary>The model's cores in service against its cores alone (<see cref="RawCpuCores"/>); null without both.</summary>
    [JsonIgnore]
    public double? ModelCoreShare => InferenceCpuCores / RawCpuCores is { } share && double.IsFinite(share) ? share : null;

    /// <summary>Windows per model core-second in service against alone: below 1, the model used its cores worse in service (shared caches, smaller passes).</summary>
    [JsonIgnore]
    public double? ModelEfficiency => WindowsPerS / InferenceCpuCores / (RawWindowsPerS / RawCpuCores) is { } e && double.IsFinite(e) ? e : null;

    public int LatencySamples { get; init; }
    public DateTimeOffset MeasuredUtc { get; init; }

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>A NaN (metric absent, no samples) becomes null: JSON has no NaN.</summary>
    public static double? Finite(double value, int digits = 1) => double.IsFinite(value) ? Math.Round(value, digits) : null;

    public void WriteJson(string path) => WriteAtomically(path, JsonSerializer.Serialize(this, Json));

    /// <summary>
    /// Adds this run to a JSON list file (created if missing), replacing an earlier run of the same
    /// configuration (streams, fps, saturated, start, while training, frames per message) so the list holds the latest figure for each.
    /// </summary>
    public void AppendTo(string path)
    {
        List<LoadTestResult> list;
        try
        {
            list = File.Exists(path)
                ? JsonSerializer.Deserialize<List<LoadTestResult>>(File.ReadAllText(path), Json) ?? []
                : [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a JSON list of load-test results: {e.Message}");
        }
        list.RemoveAll(r => r.Streams == Streams && r.Fps.Equals(Fps) && r.Saturated == Saturated && r.Start == Start && r.WhileTraining == WhileTraining
                            && r.FramesPerMessage == FramesPerMessage);
        list.Add(this);
        list.Sort((a, b) => (a.Saturated, a.WhileTraining, a.FramesPerMessage, a.Start, a.Streams, a.Fps)
            .CompareTo((b.Saturated, b.WhileTraining, b.FramesPerMessage, b.Start, b.Streams, b.Fps)));
        WriteAtomically(path, JsonSerializer.Serialize(list, Json));
    }

    private static void WriteAtomically(string path, string text)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp";
        File.WriteAllText(temporary, text + "\n");
        File.Move(temporary, full, overwrite: true);
    }
}
