namespace Assl.Model.Promotion;

/// <summary>
/// When a fine-tuned candidate may replace the serving model. Every rule must hold; the first that fails
/// is the refusal's reason.
/// </summary>
public sealed record PromotionPolicy
{
    /// <summary>The candidate's validation top-1 may be at most this far below the serving model's (a fraction, 0.01 = 1 point).</summary>
    public double Tolerance { get; init; } = 0.01;

    /// <summary>
    /// 0: refuse whenever the candidate's validation top-1 is more than <see cref="Tolerance"/> below the serving
    /// model's. Above 0: refuse only when, in addition, the loss is significant in a paired (McNemar-style) test at
    /// this many standard errors: (serving-only-right − candidate-only-right) > Z·√(sum of both). On a validation
    /// set of a hundred samples one sample is a point, and a strict margin refuses noise too.
    /// </summary>
    /// <remarks>
    /// Off by default. In docs/results/online.md a candidate trained on corrupted pseudo-labels lost 3 points on the
    /// validation set and 5 on the unseen view; z = 1.64 would have let it through, the plain margin refused it.
    /// </remarks>
    public double SignificanceZ { get; init; }

    /// <summary>
    /// Least share of recent windows on which candidate and serving model agree: fine-tuning adjusts a
    /// model, so a candidate that disagrees on most of what it will serve has drifted, whatever its validation score.
    /// </summary>
    public double MinAgreement { get; init; } = 0.5;

    /// <summary>
    /// Below this agreement with the serving model on recent windows, <see cref="Tolerance"/> no longer applies: the
    /// candidate must beat the serving model's validation top-1. A candidate that changes this many answers and
    /// only ties on validation has learnt something the validation set cannot see, right or wrong.
    /// </summary>
    /// <remarks>
    /// In docs/results/online.md's runs, candidates fine-tuned on the gate's pseudo-labels agreed on 81–99 % of recent
    /// windows, those fine-tuned on deliberately corrupted ones on 58–71 %; two of the corrupted ones tied the serving
    /// model on validation and one of those was 1.7 points worse on the unseen view.
    /// </remarks>
    public double MinAgreementWithoutGain { get; init; } = 0.75;

    /// <summary>Collapse guard: least normalised entropy of the candidate's predictions on the validation set, relative to the true labels' own.</summary>
    public double MinRelativeEntropy { get; init; } = 0.7;

    /// <summary>Collapse guard: how much more of the recent windows the candidate's top class may take than the serving model's top class does.</summary>
    public double MaxClassShareIncrease { get; init; } = 0.25;

    public PromotionDecision Decide(CandidateEvaluation e)
    {
        if (e.CandidateEntropy < MinRelativeEntropy * e.LabelEntropy)
            return PromotionDecision.Refuse("collapse",
                $"predictions collapsed: entropy {e.CandidateEntropy:0.00} on validation, below {MinRelativeEntropy:0.00} × the labels' {e.LabelEntropy:0.00}");
        if (e.RecentWindows > 0 && e.CandidateRecentMaxShare > e.ServingRecentMaxShare + MaxClassShareIncrease)
            return PromotionDecision.Refuse("collapse",
                $"one class took {e.CandidateRecentMaxShare:P0} of recent windows (serving model {e.ServingRecentMaxShare:P0})");
        if (e.CandidateTop1 < e.ServingTop1 - Tolerance && SignificantlyWorse(e))
            return PromotionDecision.Refuse("accuracy",
                $"validation top-1 {e.CandidateTop1:P1} below serving {e.ServingTop1:P1} minus tolerance {Tolerance:P1}" +
                (SignificanceZ > 0 ? $" (paired: {e.ServingOnlyRight} samples only serving gets right, {e.CandidateOnlyRight} only the candidate; z > {SignificanceZ})" : ""));
        if (e.RecentWindows > 0 && e.Agreement < MinAgreement)
            return PromotionDecision.Refuse("agreement",
                $"agrees with the serving model on {e.Agreement:P0} of {e.RecentWindows} recent windows, below {MinAgreement:P0}");
        if (e.RecentWindows > 0 && e.Agreement < MinAgreementWithoutGain && e.CandidateTop1 <= e.ServingTop1)
            return PromotionDecision.Refuse("agreement",
                $"agrees with the serving model on {e.Agreement:P0} of {e.RecentWindows} recent windows, below {MinAgreementWithoutGain:P0}, " +
                $"without a validation gain to show for it ({e.CandidateTop1:P1}, serving {e.ServingTop1:P1})");
        return PromotionDecision.Accept(
            $"validation top-1 {e.CandidateTop1:P1} (serving {e.ServingTop1:P1}), agreement {e.Agreement:P0} on {e.RecentWindows} recent windows");
    }

    private bool SignificantlyWorse(CandidateEvaluation e)
    {
        if (SignificanceZ <= 0) return true;
        int discordant = e.ServingOnlyRight + e.CandidateOnlyRight;
        return e.ServingOnlyRight - e.CandidateOnlyRight > SignificanceZ * Math.Sqrt(discordant);
    }

    public void Validate()
    {
        if (SignificanceZ is < 0 or > 10) throw new ArgumentException($"SignificanceZ must be in [0, 10] (was {SignificanceZ}).");
        if (Tolerance is < 0 or > 1) throw new ArgumentException($"Tolerance must be in [0, 1] (was {Tolerance}).");
        if (MinAgreement is < 0 or > 1) throw new ArgumentException($"MinAgreement must be in [0, 1] (was {MinAgreement}).");
        if (MinAgreementWithoutGain is < 0 or > 1) throw new ArgumentException($"MinAgreementWithoutGain must be in [0, 1] (was {MinAgreementWithoutGain}).");
        if (MinRelativeEntropy is < 0 or > 1) throw new ArgumentException($"MinRelativeEntropy must be in [0, 1] (was {MinRelativeEntropy}).");
        if (MaxClassShareIncrease is < 0 or > 1) throw new ArgumentException($"MaxClassShareIncrease must be in [0, 1] (was {MaxClassShareIncrease}).");
    }
}

/// <param name="Rule">"accepted", or the rule that refused: collapse, accuracy, agreement.</param>
public sealed record PromotionDecision(bool Accepted, string Rule, string Reason)
{
    public static PromotionDecision Accept(string reason) => new(true, "accepted", reason);

    public static PromotionDecision Refuse(string rule, string reason) => new(false, rule, reason);
}
