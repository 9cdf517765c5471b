namespace Assl.Model.Datasets;

/// <summary>A file a dataset load skipped, and why.</summary>
public sealed record RejectedFile(string Path, string Reason);
