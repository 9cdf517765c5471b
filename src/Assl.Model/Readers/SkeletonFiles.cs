using System.Globalization;

namespace Assl.Model.Readers;

/// <summary>File access shared by the readers: the oversized-input guard and the one-shot read.</summary>
internal static class SkeletonFiles
{
    /// <summary>
    /// Refuses files above <paramref name="maxBytes"/> before reading them: a reader holds the whole
    /// file plus the decoded floats in memory, so a mistaken path to a video would exhaust it.
    /// </summary>
    public static void CheckSize(string path, long maxBytes)
    {
        long length = new FileInfo(path).Length;
        if (length > maxBytes)
            throw new SkeletonFormatException(path, "file size",
                string.Create(CultureInfo.InvariantCulture,
                    $"{length} bytes is over the {maxBytes}-byte limit for skeleton files (raise maxFileBytes if the file is genuine)"));
    }

    public static byte[] ReadAllBytes(string path, long maxBytes)
    {
        CheckSize(path, maxBytes);
        return File.ReadAllBytes(path);
    }

    public static bool HasExtension(string path, string extension) =>
        string.Equals(Path.GetExtension(path), extension, StringComparison.OrdinalIgnoreCase);

    public static void CheckLimit(long maxFileBytes)
    {
        if (maxFileBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, "The file size limit must be positive.");
    }
}
