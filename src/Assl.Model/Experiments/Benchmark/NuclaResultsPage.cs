using System.Globalization;
using System.Text;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>Renders docs/results/nucla.md from the recorded runs: mean ± std per cell, the paper beside ours.</summary>
public static class NuclaResultsPage
{
    public static string Render(IReadOnlyList<BenchmarkRecord> records, string command, string machine, string settings, string? findings = null)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# N-UCLA cross-view results (train views 1+2, test view 3)");
        sb.AppendLine();
        sb.AppendLine("Top-1 accuracy on view 3 (464 sequences), %, mean ± std over seeds (n = number of seeds).");
        sb.AppendLine("Written by the benchmark command below from `nucla.json`; every figure is rerunnable.");
        sb.AppendLine();
        sb.AppendLine("| method | " + string.Join(" | ", NuclaBenchmarkPlan.Ratios.Select(r => r.ToString("P0", inv))) + " |");
        sb.AppendLine("|---|" + string.Concat(NuclaBenchmarkPlan.Ratios.Select(_ => "---|")));
        sb.AppendLine("| ASSL (paper, as carried) | " + string.Join(" | ", NuclaBenchmarkPlan.Ratios.Select(r => (NuclaBenchmarkPlan.PaperAssl[r] * 100).ToString("F1", inv))) + " |");
        var rows = new (string Label, string Method, string? Ablation)[]
        {
            ("ASSL (ours)", "assl", null),
            ("supervised only (same encoder)", "supervised", null),
            ("pseudo-label (FixMatch-style)", "pseudo-label", null),
            ("ASSL without consistency", "assl", "consistency"),
            ("ASSL without adversarial", "assl", "adversarial"),
            ("ASSL without inpainting", "assl", "inpainting"),
        };
        var variants = records.Select(r => r.Variant).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        foreach (var variant in new string?[] { null }.Concat(variants))
        {
            foreach (var (label, method, ablation) in rows)
            {
                var runs = records.Where(x => x.Method == method && x.Ablation == ablation && x.Variant == variant).ToArray();
                if (variant is not null && runs.Length == 0) continue;
                var cells = NuclaBenchmarkPlan.Ratios.Select(r => Cell(runs.Where(x => Math.Abs(x.Labels - r) < 1e-9).ToArray()));
                sb.AppendLine($"| {label}{(variant is null ? "" : $", variant `{variant}`")} | {string.Join(" | ", cells)} |");
            }
        }
        if (!string.IsNullOrWhiteSpace(findings))
        {
            sb.AppendLine();
            sb.AppendLine("## Findings");
            sb.AppendLine();
            sb.AppendLine(findings.Trim());
        }
        sb.AppendLine();
        sb.AppendLine("## Runs");
        sb.AppendLine();
        sb.AppendLine("| method | variant | ablation | labels | seed | top-1 % | wall time |");
        sb.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var r in records.OrderBy(r => r.Labels).ThenBy(r => r.Method).ThenBy(r => r.Variant).ThenBy(r => r.Ablation).ThenBy(r => r.Seed))
            sb.AppendLine($"| {r.Method} | {r.Variant ?? "-"} | {r.Ablation ?? "-"} | {r.Labels.ToString("P0", inv)} | {r.Seed} | {(r.Top1 * 100).ToString("F1", inv)} | {TimeSpan.FromSeconds(r.Seconds):m\\:ss} |");
        sb.AppendLine();
        sb.AppendLine("## How these were measured");
        sb.AppendLine();
        sb.AppendLine($"- Machine: {machine}");
        sb.AppendLine($"- Settings: {settings}");
        foreach (var variant in variants)
            sb.AppendLine($"- Variant `{variant}`: those settings overridden by `configs/{variant}.json`; command: " +
                          $"`dotnet run -c Release --project src/Assl.Cli -- bench nucla --variant-config configs/{variant}.json` (with `--ratios`, `--only` to choose cells)");
        sb.AppendLine($"- Command: `{command}` (resumable: runs already in nucla.json are skipped)");
        return sb.ToString();
    }

    private static string Cell(BenchmarkRecord[] runs)
    {
        if (runs.Length == 0) return "–";
        var inv = CultureInfo.InvariantCulture;
        double mean = runs.Average(r => r.Top1) * 100;
        if (runs.Length == 1) return $"{mean.ToString("F1", inv)} (n=1)";
        double std = Math.Sqrt(runs.Sum(r => Math.Pow(r.Top1 * 100 - mean, 2)) / (runs.Length - 1));
        return $"{mean.ToString("F1", inv)} ± {std.ToString("F1", inv)} (n={runs.Length})";
    }
}
