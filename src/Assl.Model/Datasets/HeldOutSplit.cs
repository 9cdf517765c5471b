namespace Assl.Model.Datasets;

/// <summary>
/// Labelled training samples and a validation set of held-out subjects, from chosen views. Settings and
/// promotion decisions are made on the validation set, never on the test view; its subjects never
/// appear in the labelled part.
/// </summary>
/// <param name="Labelled">The seeded per-class labelled fraction of the non-validation samples.</param>
/// <param name="Unlabelled">The rest of the non-validation samples.</param>
/// <param name="Validation">Every sample of the validation subjects in the validation views (by default the labelled ones).</param>
public sealed record HeldOutSplit(IReadOnlyList<SkeletonSample> Labelled, IReadOnlyList<SkeletonSample> Unlabelled, IReadOnlyList<SkeletonSample> Validation)
{
    /// <param name="validationViews">
    /// Views the validation samples come from; null: <paramref name="views"/>. A deployment can validate on
    /// held-out subjects of its own camera's view while its labels come from elsewhere.
    /// </param>
    public static HeldOutSplit Create(IReadOnlyList<SkeletonSample> samples, IReadOnlyCollection<int> views,
        IReadOnlyCollection<int> validationSubjects, double ratio, int seed, IReadOnlyCollection<int>? validationViews = null)
    {
        var inViews = samples.Where(s => views.Contains(s.View)).ToArray();
        if (inViews.Length == 0) throw new ArgumentException($"No samples in views {string.Join(",", views)}.");
        validationViews ??= views;
        var validation = samples.Where(s => validationViews.Contains(s.View) && validationSubjects.Contains(s.Subject))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        var train = inViews.Where(s => !validationSubjects.Contains(s.Subject)).ToArray();
        if (train.Length == 0) throw new ArgumentException("Every sample belongs to a validation subject: nothing is left to train on.");
        var split = LabelSplit.Create(train, ratio, seed);
        return new HeldOutSplit(split.Labelled, split.Unlabelled, validation);
    }
}
