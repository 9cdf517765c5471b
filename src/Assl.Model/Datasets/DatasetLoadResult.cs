namespace Assl.Model.Datasets;

/// <summary>The samples a dataset load produced, sorted by name, and the files it had to skip.</summary>
public sealed record DatasetLoadResult(IReadOnlyList<SkeletonSample> Samples, IReadOnlyList<RejectedFile> Rejected);
