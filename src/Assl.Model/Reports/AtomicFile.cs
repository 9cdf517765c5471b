namespace Assl.Model.Reports;

/// <summary>
/// Writes a whole file or nothing: reports are read by people and by other tools while training runs
/// (a dashboard polling a PNG, a script reading history JSON), so a reader must never see half a file.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="bytes"/> to <c>path + ".tmp"</c> in the target folder (creating it), then renames
    /// over <paramref name="path"/>. The rename is atomic on one file system, which is why the temporary file
    /// sits beside the target rather than in the system temp folder.
    /// </summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);

        string temporary = full + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                // Flush to disk before the rename so a crash cannot leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            // Leave no stale .tmp behind; the original exception is what the caller needs to see.
            try { File.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>UTF-8 (no BOM) text variant of <see cref="WriteAllBytes"/>.</summary>
    public static void WriteAllText(string path, string text) =>
        WriteAllBytes(path, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
}
