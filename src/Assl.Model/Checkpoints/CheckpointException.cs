namespace Assl.Model.Checkpoints;

/// <summary>A checkpoint that cannot be used: corrupt, truncated, of another format, or not matching what is expected.</summary>
public sealed class CheckpointException(string path, string problem, Exception? inner = null)
    : Exception($"Checkpoint {path}: {problem}", inner)
{
    public string Path { get; } = path;
}
