namespace Assl.Model.Readers;

/// <summary>
/// A skeleton file that does not hold what its format promises. The message names the file, the
/// position (line, or byte offset for JSON) and what was expected there.
/// </summary>
public sealed class SkeletonFormatException : Exception
{
    public SkeletonFormatException(string file, string position, string problem, Exception? inner = null)
        : base($"{file}: {position}: {problem}", inner)
    {
        File = file;
        Position = position;
        Problem = problem;
    }

    public string File { get; }

    /// <summary>"line 12", "byte 3051", or "end of file".</summary>
    public string Position { get; }

    public string Problem { get; }
}
