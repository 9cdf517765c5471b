using Assl.Model.Experiments.Comparison;

namespace Assl.Model.Tests.Experiments.Comparison;

public sealed class PairedComparisonTests
{
    // The tuning split's 15 % rows of 2026-12-07 (nucla-tuning.md): the masked strong student and its doubled learning rate.
    private static readonly Dictionary<int, double> Masked = new() { [1] = 0.673, [2] = 0.601, [3] = 0.675, [4] = 0.589, [5] = 0.611, [6] = 0.583 };
    private static readonly Dictionary<int, double> Lr2 = new() { [1] = 0.665, [2] = 0.651, [3] = 0.659, [4] = 0.613, [5] = 0.601, [6] = 0.649 };

    [Fact]
    public void SixSeedsGiveTheMeanDifferenceItsSpreadAndA95PercentInterval()
    {
        var comparison = PairedComparison.Of(Masked, Lr2);

        Assert.Equal([1, 2, 3, 4, 5, 6], comparison.Pairs.Select(p => p.Seed));
        Assert.Equal(0.050, comparison.Pairs[1].Difference, 9);
        Assert.Equal(0.622, comparison.MeanBaseline, 3);
        Assert.Equal(0.6397, comparison.MeanCandidate, 4);
        // By hand: differences −0.008, +0.050, −0.016, +0.024, −0.010, +0.066; mean 0.10600 / 6.
        Assert.Equal(0.017667, comparison.MeanDifference, 6);
        Assert.Equal(0.034581, comparison.DifferenceSd!.Value, 6);
        Assert.Equal(0.014118, comparison.StandardError!.Value, 6);
        // t(5, 0.975) = 2.571.
        Assert.Equal(-0.018630, comparison.Interval95!.Value.Low, 5);
        Assert.Equal(0.053963, comparison.Interval95!.Value.High, 5);
        Assert.Equal(3, comparison.Gains);
        Assert.Equal(3, comparison.Losses);
        Assert.Empty(comparison.BaselineOnly);
        Assert.Empty(comparison.CandidateOnly);
    }

    [Fact]
    public void SeedsOnlyOneSideRanAreLeftOutAndNamed()
    {
        var comparison = PairedComparison.Of(
            new Dictionary<int, double> { [1] = 0.60, [2] = 0.70, [3] = 0.80 },
            new Dictionary<int, double> { [4] = 0.90, [3] = 0.75, [2] = 0.72 });

        Assert.Equal([2, 3], comparison.Pairs.Select(p => p.Seed));
        Assert.Equal([1], comparison.BaselineOnly);
        Assert.Equal([4], comparison.CandidateOnly);
        Assert.Equal((0.02 - 0.05) / 2, comparison.MeanDifference, 9);
        Assert.Equal(1, comparison.Gains);
        Assert.Equal(1, comparison.Losses);
    }

    [Fact]
    public void OnePairHasADifferenceButNoSpread()
    {
        var comparison = PairedComparison.Of(new Dictionary<int, double> { [7] = 0.5 }, new Dictionary<int, double> { [7] = 0.5 });

        Assert.Equal(0, comparison.MeanDifference);
        Assert.Null(comparison.DifferenceSd);
        Assert.Null(comparison.StandardError);
        Assert.Null(comparison.Interval95);
        Assert.Equal(0, comparison.Gains + comparison.Losses);
    }

    [Fact]
    public void NoSeedInCommonIsRefusedWithBothSidesSeeds()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedComparison.Of(
            new Dictionary<int, double> { [2] = 0.5, [1] = 0.5 }, new Dictionary<int, double> { [3] = 0.5 }));
        Assert.Contains("seeds 1, 2", error.Message);
        Assert.Contains("seeds 3", error.Message);
    }
}
