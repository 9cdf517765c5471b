namespace Assl.Stream.OnlineLearning.Store;

/// <summary>A snapshot of the store, for health checks, metrics and the training loop.</summary>
/// <param name="Windows">All stored windows, whatever their kind.</param>
/// <param name="UnlabelledWindows">Windows marked as unlabelled samples.</param>
/// <param name="PseudoLabelledPerClass">Pseudo-labelled windows by class index; classes with none are absent.</param>
/// <param name="FileSizeBytes">Bytes on disk (database plus write-ahead log), or -1 when not file-backed.</param>
/// <param name="Writable">False once a write failed because the disk is read-only or full, until one succeeds again.</param>
/// <param name="LastError">The last write error, or null.</param>
public sealed record StoreStatus(
    long Windows,
    long UnlabelledWindows,
    IReadOnlyDictionary<int, long> PseudoLabelledPerClass,
    long FileSizeBytes,
    bool Writable,
    string? LastError);
