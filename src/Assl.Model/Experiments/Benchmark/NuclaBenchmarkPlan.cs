namespace Assl.Model.Experiments.Benchmark;

/// <summary>
/// The N-UCLA benchmark: ASSL and supervised-only at 5, 15, 30 and 40 % labels, pseudo-labelling at 5 and
/// 15 %, and the three ablations at 5 %, each over the seeds. Ordered so the cheapest, most asked-for
/// cells fill first (5 %, then 15 %), since the table is filled over several invocations.
/// </summary>
public static class NuclaBenchmarkPlan
{
    public static readonly double[] Ratios = [0.05, 0.15, 0.30, 0.40];
    public static readonly int[] DefaultSeeds = [1, 2, 3];

    /// <summary>The paper's ASSL figures on N-UCLA (top-1, fraction) as we carry them.</summary>
    public static readonly IReadOnlyDictionary<double, double> PaperAssl = new Dictionary<double, double>
    {
        [0.05] = 0.526, [0.15] = 0.748, [0.30] = 0.780, [0.40] = 0.784,
    };

    public static readonly string[] AblatedTerms = ["consistency", "adversarial", "inpainting"];

    /// <summary>What --only takes: the method groups, all ablations, or one ablation ("without-adversarial").</summary>
    public static readonly string[] Groups = ["assl", "supervised", "pseudo-label", "ablations", .. AblatedTerms.Select(t => "without-" + t)];

    public static IReadOnlyList<BenchmarkSpec> Create(IReadOnlyList<int> seeds, IReadOnlyList<double>? ratios = null, IReadOnlySet<string>? groups = null)
    {
        if (groups?.FirstOrDefault(g => !Groups.Contains(g)) is { } unknown)
            throw new ArgumentException($"Unknown benchmark group '{unknown}'; groups are {string.Join(", ", Groups)}.");
        bool Want(string group) => groups is null || groups.Contains(group);
        var specs = new List<BenchmarkSpec>();
        foreach (var ratio in ratios ?? Ratios)
        {
            foreach (var seed in seeds)
            {
                if (Want("supervised")) specs.Add(new("supervised", null, ratio, seed));
                if (Want("assl")) specs.Add(new("assl", null, ratio, seed));
                if (Want("pseudo-label") && ratio <= 0.15 + 1e-9) specs.Add(new("pseudo-label", null, ratio, seed));
                if (Math.Abs(ratio - 0.05) < 1e-9)
                    foreach (var term in AblatedTerms.Where(t => Want("ablations") || Want("without-" + t)))
                        specs.Add(new("assl", term, ratio, seed));
            }
        }
        return specs;
    }
}
