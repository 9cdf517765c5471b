namespace Assl.Model.Readers;

/// <summary>Reads one recorded-skeleton file format.</summary>
public interface ISkeletonReader
{
    /// <summary>Short format name for messages and the CLI ("nucla-json", "ntu-skeleton", "azure-kinect-json").</summary>
    string FormatName { get; }

    /// <summary>True when this reader recognises the file (by extension, and a peek at the content if needed).</summary>
    bool CanRead(string path);

    /// <summary>Reads the whole file; throws <see cref="SkeletonFormatException"/> on any malformed content.</summary>
    SkeletonRecording Read(string path);
}
