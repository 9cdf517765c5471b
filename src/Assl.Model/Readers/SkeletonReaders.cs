namespace Assl.Model.Readers;

/// <summary>
/// The known skeleton formats and the choice between them: <c>.skeleton</c> is NTU RGB+D, and
/// <c>.json</c> is told apart by its top-level keys ("frames": Azure Kinect, "skeletons": N-UCLA).
/// </summary>
public static class SkeletonReaders
{
    /// <summary>Default size above which readers refuse a file (256 MB; the largest NTU file is ~2 MB).</summary>
    public const long DefaultMaxFileBytes = 256L * 1024 * 1024;

    public static NuclaJsonReader Nucla { get; } = new();

    public static NtuSkeletonReader Ntu { get; } = new();

    public static AzureKinectJsonReader AzureKinect { get; } = new();

    /// <summary>Every reader, with the default size limit.</summary>
    public static IReadOnlyList<ISkeletonReader> All { get; } = [Nucla, Ntu, AzureKinect];

    /// <summary>The reader for <paramref name="path"/>, using the default size limit.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="NotSupportedException">The extension is neither .skeleton nor .json.</exception>
    /// <exception cref="SkeletonFormatException">A .json file of neither known dialect.</exception>
    public static ISkeletonReader For(string path) => For(path, DefaultMaxFileBytes);

    /// <summary>The reader for <paramref name="path"/>, refusing files above <paramref name="maxFileBytes"/>.</summary>
    public static ISkeletonReader For(string path, long maxFileBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SkeletonFiles.CheckLimit(maxFileBytes);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Skeleton file not found: {path}", path);

        bool defaults = maxFileBytes == DefaultMaxFileBytes;
        if (SkeletonFiles.HasExtension(path, ".skeleton"))
            return defaults ? Ntu : new NtuSkeletonReader(maxFileBytes);
        if (SkeletonFiles.HasExtension(path, ".json"))
        {
            return JsonFormatSniffer.Sniff(path) switch
            {
                SniffedJsonFormat.Nucla => defaults ? Nucla : new NuclaJsonReader(maxFileBytes),
                SniffedJsonFormat.AzureKinect => defaults ? AzureKinect : new AzureKinectJsonReader(maxFileBytes),
                _ => throw new SkeletonFormatException(path, "start of file",
                    "not a known skeleton JSON: expected a top-level \"frames\" (Azure Kinect k4abt_offline_processor) " +
                    $"or \"skeletons\" (N-UCLA) in the first {JsonFormatSniffer.PeekBytes / 1024} KB"),
            };
        }
        throw new NotSupportedException(
            $"Unknown skeleton file type '{Path.GetExtension(path)}' for {path}: Assl reads .skeleton (NTU RGB+D) " +
            "and .json (N-UCLA, Azure Kinect k4abt_offline_processor).");
    }

    /// <summary>Picks the reader for <paramref name="path"/> and reads the file.</summary>
    public static SkeletonRecording Read(string path) => For(path).Read(path);

    public static SkeletonRecording Read(string path, long maxFileBytes) => For(path, maxFileBytes).Read(path);
}
