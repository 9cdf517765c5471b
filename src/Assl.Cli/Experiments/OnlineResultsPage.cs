using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Assl.Cli.Experiments;

/// <summary>Writes docs/results/online.json and online.md from one experiment.</summary>
public static class OnlineResultsPage
{
    // A phase that streamed no event (`--runs 0` runs the corrupted phase alone) has no latency: NaN, written as "NaN".
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static (string Json, string Markdown) Write(OnlineExperimentResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        var jsonPath = Path.Combine(directory, "online.json");
        var mdPath = Path.Combine(directory, "online.md");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(result, Json) + "\n");
        File.WriteAllText(mdPath, Markdown(result, File.Exists(Path.Combine(directory, "online-findings.md"))
            ? File.ReadAllText(Path.Combine(directory, "online-findings.md")) : null));
        return (jsonPath, mdPath);
    }

    /// <summary>Rewrites online.md from an existing online.json (e.g. after editing online-findings.md).</summary>
    public static string Rewrite(string directory)
    {
        var jsonPath = Path.Combine(directory, "online.json");
        var result = JsonSerializer.Deserialize<OnlineExperimentResult>(File.ReadAllText(jsonPath), Json)
            ?? throw new InvalidDataException($"{jsonPath} holds no result.");
        return Write(result, directory).Markdown;
    }

    private static string Pct(double? v) => v is { } x ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) : "–";

    public static string Markdown(OnlineExperimentResult r, string? findings)
    {
        var s = new StringBuilder();
        var settings = r.Settings;
        s.AppendLine("# Online semi-supervised loop on N-UCLA");
        s.AppendLine();
        s.AppendLine($"A model trained on {r.LabelledSamples} labelled view-1 sequences ({settings.LabelRatio:P0} per class; subjects " +
                     $"{string.Join(", ", settings.HeldOutSubjects)} of views {string.Join(" and ", settings.HeldOutViews)} held out as the loop's validation set, " +
                     $"{r.ValidationSamples} sequences) serves N-UCLA's view 2 (its other subjects' sequences, unlabelled) streamed into a real server as " +
                     $"{settings.Cameras} live cameras. The server's online loop " +
                     "pseudo-labels, stores, fine-tunes and promotes on its own; the experiment measures every candidate on view 3, which nothing " +
                     "that decides ever sees, and on view 2's held-out subjects (the served camera, people never streamed; they are also part of " +
                     "the validation set). Written by the command below from `online.json`.");
        s.AppendLine();
        s.AppendLine("| | value |");
        s.AppendLine("|---|---|");
        s.AppendLine($"| view-3 top-1 of the starting model | {Pct(r.StartTop1)} % |");
        s.AppendLine($"| view-3 top-1 at the end (serving model) | {Pct(r.EndTop1)} % ({Points.Signed(r.EndTop1 - r.StartTop1)} points) |");
        if (r.StartDeploymentTop1 is { } d0 && r.EndDeploymentTop1 is { } d1)
        {
            s.AppendLine($"| view-2 top-1 of the starting model, held-out subjects (the camera the loop serves) | {Pct(d0)} % |");
            s.AppendLine($"| the same at the end | {Pct(d1)} % ({Points.Signed(d1 - d0)} points) |");
        }
        s.AppendLine($"| promotions / refusals | {r.Promotions} / {r.Refused} |");
        s.AppendLine($"| promotions with corrupted pseudo-labels ({settings.Corruption}) | {(r.CorruptedRunPromotions is { } c ? c.ToString(CultureInfo.InvariantCulture) : "not run")} |");
        s.AppendLine($"| serving p99 frame→event latency while the loop trained | {(r.P99MsWhileTraining is { } p99 ? p99.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "–")} |");
        s.AppendLine($"| the same cameras with the loop paused | {(r.P99MsWithoutTraining is { } idle ? idle.ToString("0.0", CultureInfo.InvariantCulture) + " ms" : "not measured")} |");
        s.AppendLine($"| serving p99 over the whole normal phase | {r.Normal.P99Ms.ToString("0.0", CultureInfo.InvariantCulture)} ms |");
        s.AppendLine($"| pseudo-labels stored / share naming the true class | {r.Normal.PseudoLabelled} / {Pct(r.Normal.PseudoLabelPrecision)} % |");
        s.AppendLine();
        foreach (var phase in new[] { ("Normal phase", r.Normal), ("Corrupted pseudo-labels", r.Corrupted) })
        {
            if (phase.Item2 is not { } p) continue;
            s.AppendLine($"## {phase.Item1}");
            s.AppendLine();
            s.AppendLine("| run | at | candidate | decision | validation top-1 (candidate / serving) | view-3 top-1 of candidate | view-2 held-out top-1 of candidate | reason |");
            s.AppendLine("|---|---|---|---|---|---|---|---|");
            int i = 1;
            foreach (var run in p.Runs)
                s.AppendLine($"| {i++} | {run.AtSeconds:0} s | {run.Candidate} | {(run.Promoted ? "promoted" : "refused")} | {Pct(run.ValidationTop1)} / {Pct(run.ServingValidationTop1)} | {Pct(run.TestTop1)} | {Pct(run.DeploymentTop1)} | {run.Reason} |");
            s.AppendLine();
            s.AppendLine($"{p.WindowsStored} windows stored, {p.PseudoLabelled} pseudo-labelled ({Pct(p.PseudoLabelPrecision)} % name the true class), " +
                         $"{p.Events} events; latency p50 {p.P50Ms:0.0} ms, p99 {p.P99Ms:0.0} ms, p99 while training {(p.P99MsWhileTraining is { } t ? t.ToString("0.0", CultureInfo.InvariantCulture) : "–")} ms " +
                         $"({p.LatencySamplesWhileTraining} samples), with the loop paused " +
                         (p.P99MsWithoutTraining is { } u ? $"{u.ToString("0.0", CultureInfo.InvariantCulture)} ms ({p.LatencySamplesWithoutTraining} samples)" : "not measured") +
                         $"; {p.Seconds:0} s.");
            s.AppendLine();
        }
        s.AppendLine("## How this was measured");
        s.AppendLine();
        s.AppendLine($"- Machine: {r.Machine}; fine-tuning on {settings.TrainingThreads} libtorch thread(s) beside serving, " +
                     (settings.Niceness > 0 ? $"at nice {settings.Niceness}." : "at normal priority."));
        s.AppendLine($"- Settings: start model supervised, {settings.StartEpochs} epochs, seed {settings.Seed}; replay speed {settings.Speed}×, clips shorter than " +
                     $"{settings.StretchToFrames} frames slowed to span {settings.StretchToFrames}; gate threshold {settings.GateThreshold}{(settings.ClassAdaptive ? " (class-adaptive)" : "")}, {settings.GateConsecutive} consecutive windows; " +
                     $"a run every {settings.MinNewSamples} stored windows, {settings.FineTuneSteps} steps; promotion: " + PromotionRules(r.Promotion) +
                     (settings.ExtraServerSettings.Length > 0 ? $"; server settings {string.Join(", ", settings.ExtraServerSettings.Select(x => $"`{x}`"))}." : "."));
        s.AppendLine($"- Command: `{r.Command}`");
        if (findings is not null)
        {
            s.AppendLine();
            s.AppendLine(findings.TrimEnd());
        }
        return s.ToString();
    }

    /// <summary>The rules as the run recorded them; a file from before they were recorded says so rather than guess.</summary>
    private static string PromotionRules(Assl.Model.Promotion.PromotionPolicy? policy) => policy is null
        ? "the rules of its day (this file predates recording them; see that session's notes)"
        : $"tolerance {policy.Tolerance * 100:0.#} point(s), " +
          (policy.SignificanceZ > 0 ? $"refused only when the loss is significant at z = {policy.SignificanceZ} (paired)" : "plain margin (no significance test)") +
          $", agreement ≥ {policy.MinAgreement:P0}, a validation gain below {policy.MinAgreementWithoutGain:P0} agreement, collapse guard";
}
