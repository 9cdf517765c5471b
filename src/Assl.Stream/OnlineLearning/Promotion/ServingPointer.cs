namespace Assl.Stream.OnlineLearning.Promotion;

/// <summary>
/// The file that says which checkpoint the server serves: written atomically on every promotion or
/// rollback, read at start-up. <see cref="History"/> lists the versions served before, newest first,
/// so a restart can fall back past a checkpoint that has become unreadable and an operator can roll back.
/// </summary>
/// <param name="Version">The serving version.</param>
/// <param name="Path">Its checkpoint.</param>
/// <param name="History">Earlier serving versions and their checkpoints, newest first.</param>
public sealed record ServingPointer(string Version, string Path, IReadOnlyList<ServedVersion> History)
{
    public const int FormatVersion = 1;

    public int Format { get; init; } = FormatVersion;

    /// <summary>This pointer's version first, then the history.</summary>
    public IEnumerable<ServedVersion> NewestFirst() => History.Prepend(new ServedVersion(Version, Path));
}

public sealed record ServedVersion(string Version, string Path);
