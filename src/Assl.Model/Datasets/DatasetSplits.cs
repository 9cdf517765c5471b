namespace Assl.Model.Datasets;

/// <summary>Evaluation protocols that split a dataset into train and test sets.</summary>
public static class DatasetSplits
{
    private static readonly int[] DefaultTrainViews = [1, 2];

    /// <summary>
    /// N-UCLA's cross-view protocol: train on <paramref name="trainViews"/> (default views 1 and 2),
    /// test on <paramref name="testView"/> (default 3). Samples from other views are in neither set.
    /// Both lists keep the input order.
    /// </summary>
    public static (IReadOnlyList<SkeletonSample> Train, IReadOnlyList<SkeletonSample> Test) CrossView(
        IReadOnlyList<SkeletonSample> samples, IReadOnlyCollection<int>? trainViews = null, int testView = 3)
    {
        ArgumentNullException.ThrowIfNull(samples);
        trainViews ??= DefaultTrainViews;
        if (trainViews.Count == 0)
            throw new ArgumentException("Cross-view training needs at least one view.", nameof(trainViews));
        if (trainViews.Contains(testView))
            throw new ArgumentException($"View {testView} cannot be both a training and the test view.", nameof(testView));
        var train = samples.Where(s => trainViews.Contains(s.View)).ToArray();
        var test = samples.Where(s => s.View == testView).ToArray();
        return (train, test);
    }
}
