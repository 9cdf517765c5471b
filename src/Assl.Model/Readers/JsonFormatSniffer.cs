using System.Text.Json;

namespace Assl.Model.Readers;

/// <summary>
/// Tells N-UCLA JSON from Azure Kinect JSON by the top-level property names in the first bytes, so
/// dispatch never parses a whole file twice.
/// </summary>
internal static class JsonFormatSniffer
{
    /// <summary>
    /// The offline processor writes keys in alphabetical order, so "frames" follows only "bone_list"
    /// (~2 KB pretty-printed); N-UCLA puts "skeletons" right after the file name.
    /// </summary>
    internal const int PeekBytes = 16 * 1024;

    public static SniffedJsonFormat Sniff(string path)
    {
        var buffer = new byte[PeekBytes];
        int length;
        using (var stream = File.OpenRead(path))
            length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Sniff(buffer.AsSpan(0, length), isWholeFile: length < buffer.Length);
    }

    public static SniffedJsonFormat Sniff(ReadOnlySpan<byte> start, bool isWholeFile)
    {
        if (start.StartsWith(System.Text.Encoding.UTF8.Preamble)) start = start[3..];
        var reader = new Utf8JsonReader(start, isWholeFile, default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 0 && reader.TokenType != JsonTokenType.StartObject)
                    return SniffedJsonFormat.Unknown;
                if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1) continue;
                if (reader.ValueTextEquals("skeletons"u8)) return SniffedJsonFormat.Nucla;
                if (reader.ValueTextEquals("frames"u8) || reader.ValueTextEquals("k4abt_sdk_version"u8))
                    return SniffedJsonFormat.AzureKinect;
            }
        }
        catch (JsonException)
        {
            // Not JSON (or broken early): no reader claims it.
        }
        return SniffedJsonFormat.Unknown;
    }
}
