using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Assl.Cli.Clients;

/// <summary>
/// Rewrites serving.md beside a serving.json list of load-test runs, so the page always shows exactly
/// the figures the command recorded (plus serving-findings.md, written by people, when present).
/// </summary>
public static class ServingResultsPage
{
    public static string Write(string jsonPath)
    {
        var runs = JsonSerializer.Deserialize<List<LoadTestResult>>(File.ReadAllText(jsonPath), LoadTestResult.Json) ?? [];
        var directory = Path.GetDirectoryName(Path.GetFullPath(jsonPath))!;
        var findings = Path.Combine(directory, "serving-findings.md");
        var page = Path.Combine(directory, "serving.md");
        File.WriteAllText(page, Markdown(runs, File.Exists(findings) ? File.ReadAllText(findings) : null));
        return page;
    }

    private static string F(double? value, string format = "0.0") => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "–";

    private static string CoreSplit(LoadTestResult r) =>
        r.InferenceCpuCores is { } model && r.RestOfServerCpuCores is { } rest
            ? $"{F(model, "0.00")} / {F(rest, "0.00")} / {F(r.GeneratorCpuCores, "0.00")}" +
              (r.FineTuneCpuCores is { } fineTune && r.WhileTraining ? $"; fine-tuning {F(fineTune, "0.00")}" : "") +
              (r.RawCpuCores is { } alone ? $"; {F(alone, "0.00")}" : "")
            : "–";

    private static string Repeats(LoadTestResult r) =>
        r.Repeats is > 0
            ? $"; {r.RepeatsSustained} of {r.Repeats} repeats sustained{(r.RepeatMedianRatio is { } median ? $", median {F(median * 100, "0.0")} % of raw" : "")}"
            : "";

    public static string Markdown(IReadOnlyList<LoadTestResult> runs, string? findings)
    {
        var s = new StringBuilder();
        s.AppendLine("# Serving: load test");
        s.AppendLine();
        s.AppendLine("N cameras, each an Ingest stream replaying real N-UCLA sequences (distinct body ids) at the given frame rate, against a " +
                     "server on the same 2-core machine; the raw figure is the model's best batched throughput measured in the same run, in process " +
                     "(the best of batches of 16 to 64 windows and of both ways to run passes; its batch size after @; runs without one were measured at 64 only). " +
                     "For a saturated run it is measured just before and just after the winning step (the mean of the two; the better of the best way " +
                     "found and the server's own), since this machine's speed drifts by more than the target's margin within minutes. " +
                     "Rewritten from `serving.json` by every `assl loadtest --append-results docs/results/serving.json`.");
        s.AppendLine();
        s.AppendLine("Targets (issue 4): 64 streams at 30 fps with p99 ≤ 50 ms and no dropped windows; saturated throughput ≥ 85 % of raw; memory flat.");
        s.AppendLine();
        s.AppendLine("Start: `staggered` cameras are switched on at moments spread over one second, as at a real site; `lockstep` cameras all start " +
                     "at once, so every body completes a window at the same instants (a burst of N windows every stride, the worst case). " +
                     "Saturated: the best of paced steps of rising replay speed (camera time ×1.4 faster than wall time per step, then three " +
                     "bisections) that dropped no window and kept p99 ≤ 1 s; speed is that step's. Its peak is the most windows/s any step ran, " +
                     "sustained or not (the step just past the knee: the queue grows, nothing is dropped yet), with the raw figure around that step after the semicolon; repeats (`--repeats N`) are the sustained step run N times more, each against the raw figure around it, with the median of their ratios. Fine-tune steps: online fine-tuning steps the server took while it was " +
                     "measured (0: online learning off or idle). Frames/message: 1 = Ingest, one message per frame as a camera sends it; more = " +
                     "IngestBatched, that many frames per message (a gateway or a fast replay), each frame timed from its batch's send. " +
                     "Cores model / rest / generator: the server's inference threads, the rest of the server (gRPC, windowing, events), and the " +
                     "load generator on the same machine; while the online loop fine-tunes, its thread's cores after 'fine-tuning' (runs before it was measured " +
                     "count it in the rest); for a saturated run, after the semicolon, the cores the model used alone in the raw " +
                     "measurement around that step ('–': recorded before the split was measured).");
        s.AppendLine();
        s.AppendLine("| streams | fps | speed | start | frames/message | saturated | seconds | frames/s | windows/s | raw windows/s | p50 ms | p95 ms | p99 ms | dropped windows | server CPU (cores) | cores model / rest / generator | RSS MB start → end | fine-tune steps | measured (UTC) |");
        s.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runs)
            s.AppendLine($"| {r.Streams} | {F(r.Fps, "0")} | ×{F(r.Speed, "0.##")} | {r.Start} | {r.FramesPerMessage} | {(r.Saturated ? "yes" : "no")} | {F(r.Seconds, "0")} | {F(r.FramesPerS, "0")} | {F(r.WindowsPerS, "0")}" +
                         $"{(r.PeakWindowsPerS is { } peak ? $"; peak {F(peak, "0")} at ×{F(r.PeakSpeed, "0.##")}" : "")}{Repeats(r)} | " +
                         $"{F(r.RawWindowsPerS, "0")}{(r.RawBatchSize is { } b ? $" @{b}" : "")}{(r.PeakRawWindowsPerS is { } peakRaw ? $"; {F(peakRaw, "0")}" : "")} | {F(r.P50Ms)} | {F(r.P95Ms)} | {F(r.P99Ms)} | {F(r.DroppedWindows, "0")} | {F(r.ServerCpuCores, "0.00")} | {CoreSplit(r)} | " +
                         $"{F(r.RssMbStart, "0")} → {F(r.RssMbEnd, "0")} | {F(r.FineTuneSteps, "0")} | {r.MeasuredUtc:yyyy-MM-dd HH:mm} |");
        s.AppendLine();
        s.AppendLine("All figures: `scripts/serving-loadtest.sh 30 600` (Release server with online learning off and a scratch store; " +
                     "30-second runs at 8, 32, 64, 128 staggered streams and 64 lockstep, then `--saturate` at 64, then 600 s at 64 streams written to `serving-long-64.json`, then 120 s at 64 streams against a second server " +
                     "whose online loop fine-tunes meanwhile: the row with fine-tune steps). By hand:");
        s.AppendLine();
        s.AppendLine("```sh");
        s.AppendLine("dotnet run -c Release --project src/Assl.Stream -- --Store:Path=/tmp/loadtest.db --OnlineLearning:Enabled=false   # terminal 1");
        s.AppendLine("dotnet run -c Release --project src/Assl.Cli -- loadtest --streams 64 --fps 30 --duration 60 --append-results docs/results/serving.json");
        s.AppendLine("dotnet run -c Release --project src/Assl.Cli -- loadtest --streams 64 --saturate --duration 15 --append-results docs/results/serving.json");
        s.AppendLine("```");
        if (findings is not null)
        {
            s.AppendLine();
            s.AppendLine(findings.TrimEnd());
        }
        return s.ToString();
    }
}
