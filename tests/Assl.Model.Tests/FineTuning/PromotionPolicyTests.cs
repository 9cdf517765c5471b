using Assl.Model.Datasets;
using Assl.Model.Promotion;
using Assl.Model.Tests.Datasets;

namespace Assl.Model.Tests.FineTuning;

public sealed class PromotionPolicyTests
{
    private static readonly PromotionPolicy Policy = new();

    private static CandidateEvaluation Healthy => new(
        CandidateTop1: 0.70, ServingTop1: 0.68, CandidateEntropy: 0.95, LabelEntropy: 0.99,
        RecentWindows: 200, Agreement: 0.85, CandidateRecentMaxShare: 0.30, ServingRecentMaxShare: 0.28);

    [Fact]
    public void AcceptsABetterHealthyCandidate() => Assert.True(Policy.Decide(Healthy).Accepted);

    [Fact]
    public void AcceptsWithinToleranceAndRefusesBeyondIt()
    {
        Assert.True(Policy.Decide(Healthy with { CandidateTop1 = 0.675 }).Accepted);
        var refused = Policy.Decide(Healthy with { CandidateTop1 = 0.66 });
        Assert.False(refused.Accepted);
        Assert.Equal("accuracy", refused.Rule);
    }

    [Fact]
    public void WithAPairedTestOnlyASignificantLossIsRefused()
    {
        var paired = new PromotionPolicy { SignificanceZ = 1.64 };
        // 3 points down on 100 samples: 5 only the serving model gets right, 2 only the candidate: 3 < 1.64·√7 = 4.3, noise.
        var noisy = Healthy with { CandidateTop1 = 0.65, ServingTop1 = 0.68, ValidationSamples = 100, ServingOnlyRight = 5, CandidateOnlyRight = 2 };
        Assert.True(paired.Decide(noisy).Accepted);
        Assert.False(Policy.Decide(noisy).Accepted); // the plain margin refuses the same candidate
        // 12 points down: 14 against 2, 12 > 1.64·√16 = 6.6.
        var worse = Healthy with { CandidateTop1 = 0.56, ServingTop1 = 0.68, ValidationSamples = 100, ServingOnlyRight = 14, CandidateOnlyRight = 2 };
        var refused = paired.Decide(worse);
        Assert.False(refused.Accepted);
        Assert.Equal("accuracy", refused.Rule);
        Assert.Contains("paired", refused.Reason);
    }

    [Fact]
    public void RefusesACandidateThatPredictsOneClass()
    {
        var collapsed = Policy.Decide(Healthy with { CandidateEntropy = 0.1, CandidateTop1 = 0.9 });
        Assert.False(collapsed.Accepted);
        Assert.Equal("collapse", collapsed.Rule);
        var recentCollapse = Policy.Decide(Healthy with { CandidateRecentMaxShare = 0.9 });
        Assert.Equal("collapse", recentCollapse.Rule);
    }

    [Fact]
    public void RefusesACandidateThatDisagreesWithWhatItWouldServe()
    {
        var drifted = Policy.Decide(Healthy with { Agreement = 0.3 });
        Assert.Equal("agreement", drifted.Rule);
        Assert.True(Policy.Decide(Healthy with { Agreement = 0.3, RecentWindows = 0 }).Accepted); // nothing recent to compare on
    }

    [Fact]
    public void ACandidateThatChangesManyAnswersMustGainOnValidationNotMerelyTie()
    {
        // The corrupted run's promoted tie (docs/results/online.md): 45.5 % against 45.5 %, agreeing on 58 % of 407 windows.
        var tie = Healthy with { CandidateTop1 = 0.455, ServingTop1 = 0.455, Agreement = 0.58, RecentWindows = 407 };
        var refused = Policy.Decide(tie);
        Assert.False(refused.Accepted);
        Assert.Equal("agreement", refused.Rule);
        Assert.Contains("without a validation gain", refused.Reason);
        Assert.False(Policy.Decide(tie with { CandidateTop1 = 0.45 }).Accepted); // within tolerance, still no gain

        Assert.True(Policy.Decide(tie with { CandidateTop1 = 0.46 }).Accepted); // a gain earns the change
        Assert.True(Policy.Decide(tie with { Agreement = 0.85 }).Accepted);     // a tie that changes little stays within tolerance
        Assert.True(new PromotionPolicy { MinAgreementWithoutGain = 0 }.Decide(tie).Accepted);
    }

    [Fact]
    public void HistogramEntropyIsOneForUniformAndZeroForOneClass()
    {
        Assert.Equal(1.0, PredictionHistogram.Of([0, 1, 2, 3], 4).NormalisedEntropy, 6);
        Assert.Equal(0.0, PredictionHistogram.Of([2, 2, 2], 4).NormalisedEntropy, 6);
        Assert.Equal(1.0, PredictionHistogram.Of([2, 2, 2], 4).MaxShare);
    }
}

public sealed class HeldOutSplitTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    [SkippableFact]
    public void ValidationSubjectsNeverReachTheLabelledSet()
    {
        var samples = nucla.Result.Samples;
        var split = HeldOutSplit.Create(samples, [1], [9, 10], 0.05, seed: 1);
        Assert.All(split.Validation, s => Assert.True(s.View == 1 && s.Subject is 9 or 10));
        Assert.Equal(samples.Count(s => s.View == 1 && s.Subject is 9 or 10), split.Validation.Count);
        Assert.DoesNotContain(split.Labelled.Concat(split.Unlabelled), s => s.Subject is 9 or 10 || s.View != 1);
        Assert.Equal(NuclaClasses.Count, split.Labelled.Select(s => s.ClassIndex).Distinct().Count());
        var again = HeldOutSplit.Create(samples, [1], [9, 10], 0.05, seed: 1);
        Assert.Equal(split.Labelled.Select(s => s.Name), again.Labelled.Select(s => s.Name));
    }

    [SkippableFact]
    public void ValidationCanAlsoComeFromTheDeploymentViewWithoutChangingTheLabels()
    {
        var samples = nucla.Result.Samples;
        var labelledOnly = HeldOutSplit.Create(samples, [1], [9, 10], 0.05, seed: 1);
        var split = HeldOutSplit.Create(samples, [1], [9, 10], 0.05, seed: 1, validationViews: [1, 2]);

        Assert.Equal(samples.Count(s => s.View is 1 or 2 && s.Subject is 9 or 10), split.Validation.Count);
        Assert.True(split.Validation.Count > labelledOnly.Validation.Count);
        Assert.Contains(split.Validation, s => s.View == 2);
        Assert.Equal(labelledOnly.Labelled.Select(s => s.Name), split.Labelled.Select(s => s.Name));
        Assert.DoesNotContain(split.Labelled.Concat(split.Unlabelled), s => s.View != 1);
    }
}
