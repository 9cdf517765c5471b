namespace Assl.Model.Datasets;

/// <summary>How many of a dataset's files have been read (or rejected) so far.</summary>
public readonly record struct DatasetLoadProgress(int Done, int Total);
