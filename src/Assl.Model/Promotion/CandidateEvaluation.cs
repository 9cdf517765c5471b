namespace Assl.Model.Promotion;

/// <summary>A candidate measured beside the serving model on the same data.</summary>
/// <param name="CandidateTop1">Candidate's top-1 on the labelled validation set.</param>
/// <param name="ServingTop1">Serving model's top-1 on the same set.</param>
/// <param name="CandidateEntropy">Normalised entropy of the candidate's validation predictions.</param>
/// <param name="LabelEntropy">Normalised entropy of the validation labels (what a model that is right everywhere would show).</param>
/// <param name="RecentWindows">Recent served windows both models classified.</param>
/// <param name="Agreement">Share of those on which both gave the same class.</param>
/// <param name="CandidateRecentMaxShare">Share of recent windows given to the candidate's most predicted class.</param>
/// <param name="ServingRecentMaxShare">The same for the serving model.</param>
/// <param name="ValidationSamples">Size of the validation set.</param>
/// <param name="CandidateOnlyRight">Validation samples the candidate gets right and the serving model wrong.</param>
/// <param name="ServingOnlyRight">Validation samples the serving model gets right and the candidate wrong.</param>
public sealed record CandidateEvaluation(
    double CandidateTop1,
    double ServingTop1,
    double CandidateEntropy,
    double LabelEntropy,
    int RecentWindows,
    double Agreement,
    double CandidateRecentMaxShare,
    double ServingRecentMaxShare,
    int ValidationSamples = 0,
    int CandidateOnlyRight = 0,
    int ServingOnlyRight = 0)
{
    public IReadOnlyDictionary<string, double> ToMetrics() => new Dictionary<string, double>
    {
        ["validation_top1"] = CandidateTop1,
        ["serving_validation_top1"] = ServingTop1,
        ["validation_entropy"] = CandidateEntropy,
        ["label_entropy"] = LabelEntropy,
        ["recent_windows"] = RecentWindows,
        ["agreement"] = Agreement,
        ["recent_max_class_share"] = CandidateRecentMaxShare,
        ["serving_recent_max_class_share"] = ServingRecentMaxShare,
        ["validation_samples"] = ValidationSamples,
        ["candidate_only_right"] = CandidateOnlyRight,
        ["serving_only_right"] = ServingOnlyRight,
    };
}
