namespace Assl.Model.Experiments.Comparison;

/// <summary>One seed's score under the baseline's settings and under the candidate's.</summary>
public sealed record SeedPair(int Seed, double Baseline, double Candidate)
{
    public double Difference => Candidate - Baseline;
}

/// <summary>
/// Two settings compared seed by seed. A seed fixes the label split, the initial weights and the batch order, and on
/// N-UCLA the spread between seeds (about ±3 points at 15 % labels) is wider than most differences between settings:
/// the differences of paired runs remove that spread, where a comparison of the two means keeps it.
/// </summary>
public sealed class PairedComparison
{
    // Two-sided 95 % quantiles of Student's t for 1–30 degrees of freedom; beyond 30 the normal's 1.96 is close enough.
    private static readonly double[] T975 =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    private PairedComparison(IReadOnlyList<SeedPair> pairs, IReadOnlyList<int> baselineOnly, IReadOnlyList<int> candidateOnly)
    {
        Pairs = pairs;
        BaselineOnly = baselineOnly;
        CandidateOnly = candidateOnly;
        MeanBaseline = pairs.Average(p => p.Baseline);
        MeanCandidate = pairs.Average(p => p.Candidate);
        MeanDifference = pairs.Average(p => p.Difference);
        if (pairs.Count >= 2)
        {
            double variance = pairs.Sum(p => Math.Pow(p.Difference - MeanDifference, 2)) / (pairs.Count - 1);
            DifferenceSd = Math.Sqrt(variance);
            StandardError = DifferenceSd / Math.Sqrt(pairs.Count);
            double halfWidth = TQuantile975(pairs.Count - 1) * StandardError.Value;
            Interval95 = (MeanDifference - halfWidth, MeanDifference + halfWidth);
        }
    }

    /// <summary>The seeds both sides ran, in seed order.</summary>
    public IReadOnlyList<SeedPair> Pairs { get; }

    /// <summary>Seeds only the baseline ran (left out of every figure).</summary>
    public IReadOnlyList<int> BaselineOnly { get; }

    /// <summary>Seeds only the candidate ran (left out of every figure).</summary>
    public IReadOnlyList<int> CandidateOnly { get; }

    public double MeanBaseline { get; }
    public double MeanCandidate { get; }

    /// <summary>Candidate minus baseline, averaged over the paired seeds.</summary>
    public double MeanDifference { get; }

    /// <summary>Sample standard deviation of the differences; null with one pair.</summary>
    public double? DifferenceSd { get; }

    /// <summary>Standard error of <see cref="MeanDifference"/>; null with one pair.</summary>
    public double? StandardError { get; }

    /// <summary>95 % interval of the mean difference (Student's t, seeds as independent draws); null with one pair.</summary>
    public (double Low, double High)? Interval95 { get; }

    public int Gains => Pairs.Count(p => p.Difference > 0);
    public int Losses => Pairs.Count(p => p.Difference < 0);

    /// <param name="baseline">Score per seed under the baseline's settings.</param>
    /// <param name="candidate">Score per seed under the candidate's settings.</param>
    /// <exception cref="ArgumentException">The two sides have no seed in common.</exception>
    public static PairedComparison Of(IReadOnlyDictionary<int, double> baseline, IReadOnlyDictionary<int, double> candidate)
    {
        var pairs = baseline.Keys.Intersect(candidate.Keys).Order().Select(s => new SeedPair(s, baseline[s], candidate[s])).ToList();
        if (pairs.Count == 0)
            throw new ArgumentException($"No seed in common: the baseline has {Seeds(baseline.Keys)}, the candidate {Seeds(candidate.Keys)}.");
        return new PairedComparison(pairs, baseline.Keys.Except(candidate.Keys).Order().ToList(), candidate.Keys.Except(baseline.Keys).Order().ToList());
    }

    private static double TQuantile975(int degreesOfFreedom) => degreesOfFreedom <= T975.Length ? T975[degreesOfFreedom - 1] : 1.96;

    private static string Seeds(IEnumerable<int> seeds) => seeds.Any() ? "seeds " + string.Join(", ", seeds.Order()) : "no seeds";
}
