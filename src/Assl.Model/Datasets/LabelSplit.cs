namespace Assl.Model.Datasets;

/// <summary>
/// The semi-supervised split of a training set: a labelled fraction per class, the rest used without
/// labels.
/// </summary>
public sealed record LabelSplit(IReadOnlyList<SkeletonSample> Labelled, IReadOnlyList<SkeletonSample> Unlabelled)
{
    /// <summary>
    /// Per class, labels the first ⌈<paramref name="ratio"/>·n_c⌉ samples (at least one) of a seeded
    /// shuffle. The shuffle is Fisher-Yates with <c>new Random(seed)</c> over the samples sorted by name,
    /// so the split depends only on the set of samples and the seed, never on their input order.
    /// Both lists come back sorted by name.
    /// </summary>
    public static LabelSplit Create(IReadOnlyList<SkeletonSample> train, double ratio, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (!(ratio > 0 && ratio <= 1))
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The labelled ratio must be in (0, 1].");

        var shuffled = train.OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        var random = new Random(seed);
        for (int i = shuffled.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (shuffled[i], shuffled[j]) = (shuffled[j], shuffled[i]);
        }

        var labelled = new List<SkeletonSample>();
        var unlabelled = new List<SkeletonSample>();
        foreach (var cls in shuffled.GroupBy(s => s.ClassIndex))
        {
            var members = cls.ToArray();
            // 0.15 × 100 is 15.000000000000002 in doubles; without the slack its ceiling would be 16.
            int take = Math.Clamp((int)Math.Ceiling(ratio * members.Length - 1e-9), 1, members.Length);
            labelled.AddRange(members.Take(take));
            unlabelled.AddRange(members.Skip(take));
        }
        labelled.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        unlabelled.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return new LabelSplit(labelled, unlabelled);
    }
}
