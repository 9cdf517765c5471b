using System.Globalization;
using Assl.Proto.V1;
using Google.Protobuf.WellKnownTypes;

namespace Assl.Cli.Clients;

/// <summary>ModelAdmin answers as text for an operator: the loop's status as lines, the versions as a table.</summary>
public static class AdminReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Metric names are the server's; these fragments only decide which columns come first and which read as percentages.
    private static readonly string[] LeadingMetrics = ["top1", "top-1", "top_1", "accuracy", "agreement", "entropy"];
    private static readonly string[] FractionMetrics = ["top1", "top-1", "top_1", "accuracy", "agreement"];

    public static void WriteStatus(LoopStatus status, TextWriter output, DateTimeOffset now)
    {
        output.WriteLine($"state:        {State(status.State)}{(status.Paused ? " (paused by an operator)" : "")}");
        output.WriteLine($"serving:      {Or(status.ServingVersion, "(none)")}");
        output.WriteLine(string.Create(Invariant, $"new samples:  {status.NewSamples} since the last run started"));
        output.WriteLine($"next run due: {(status.NextRunDue is { } due ? $"{Time(due)} UTC ({Relative(due.ToDateTimeOffset() - now)})" : "not scheduled")}");
        output.WriteLine($"store:        {(status.StoreWritable ? "writable" : "NOT writable: serving without learning")}");
        output.WriteLine($"last run:     {(status.LastRun is { } run ? Run(run) : "none yet")}");
        if (!string.IsNullOrWhiteSpace(status.Detail)) output.WriteLine($"detail:       {status.Detail}");
    }

    public static void WriteVersions(IReadOnlyList<ModelVersion> versions, TextWriter output)
    {
        if (versions.Count == 0)
        {
            output.WriteLine("No model versions are known yet.");
            return;
        }
        var metrics = versions.SelectMany(v => v.Metrics.Keys).Distinct(StringComparer.Ordinal)
            .OrderBy(LeadingRank).ThenBy(k => k, StringComparer.Ordinal).ToArray();
        string[] header = ["version", "status", "created (UTC)", .. metrics];
        var rows = new List<string[]> { header };
        rows.AddRange(versions.Select(v => (string[])
        [
            v.Version, Status(v.Status), v.Created is { } created ? Time(created) : "-",
            .. metrics.Select(m => v.Metrics.TryGetValue(m, out var value) ? Metric(m, value) : "-"),
        ]));
        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var row in rows)
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c < 3 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
    }

    public static string Version(ModelVersion version) =>
        $"{version.Version} ({Status(version.Status)}, created {(version.Created is { } created ? Time(created) + " UTC" : "-")})";

    public static string Status(ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.Candidate => "candidate",
        ModelVersionStatus.Serving => "serving",
        ModelVersionStatus.Refused => "refused",
        ModelVersionStatus.Retired => "retired",
        _ => "?",
    };

    public static string State(LoopState state) => state switch
    {
        LoopState.Disabled => "disabled",
        LoopState.Idle => "idle",
        LoopState.Training => "training",
        LoopState.Evaluating => "evaluating",
        _ => "?",
    };

    /// <summary>A fraction as a percentage when the name says it is one, any other number as itself.</summary>
    public static string Metric(string name, double value) =>
        FractionMetrics.Any(f => name.Contains(f, StringComparison.OrdinalIgnoreCase)) && value is >= 0 and <= 1
            ? string.Create(Invariant, $"{value * 100:0.0} %")
            : value.ToString("0.####", Invariant);

    private static string Run(FineTuneRun run)
    {
        var top1 = run.HasCandidateTop1
            ? $", top-1 {Metric("top1", run.CandidateTop1)}{(run.HasServingTop1 ? $" vs {Metric("top1", run.ServingTop1)} serving" : "")}"
            : "";
        return string.Create(Invariant, $"{run.CandidateVersion} {(run.Promoted ? "promoted" : "refused")}{top1}, {run.Seconds:0.#} s, " +
                                        $"finished {(run.Finished is { } finished ? Time(finished) + " UTC" : "-")}: {run.Reason}");
    }

    private static int LeadingRank(string metric)
    {
        int rank = Array.FindIndex(LeadingMetrics, f => metric.Contains(f, StringComparison.OrdinalIgnoreCase));
        return rank < 0 ? LeadingMetrics.Length : rank;
    }

    private static string Time(Timestamp t) => t.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm", Invariant);

    private static string Relative(TimeSpan span) => span <= TimeSpan.Zero ? "already due"
        : span.TotalHours >= 1 ? string.Create(Invariant, $"in {span.TotalHours:0.#} h")
        : string.Create(Invariant, $"in {Math.Ceiling(span.TotalMinutes):0} min");

    private static string Or(string value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;
}
