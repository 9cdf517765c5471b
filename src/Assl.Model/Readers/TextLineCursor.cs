using System.Globalization;

namespace Assl.Model.Readers;

/// <summary>
/// Line-by-line access to a whitespace-separated text format, counting lines so every error can say
/// "line 12".
/// </summary>
internal sealed class TextLineCursor(TextReader text, string source)
{
    private string _line = "";

    /// <summary>1-based number of the line last read; 0 before the first.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Reads the next line; the end of the data here is a truncated file.</summary>
    public string ReadLine(string what)
    {
        _line = text.ReadLine() ?? throw new SkeletonFormatException(
            source, $"line {LineNumber + 1}", $"unexpected end of file (truncated?): expected {what}");
        LineNumber++;
        return _line;
    }

    /// <summary>
    /// Reads a line of exactly <paramref name="expected"/> tokens into <paramref name="tokens"/>, which
    /// must hold one more than that so a surplus is seen. Returns the line to index with the ranges.
    /// </summary>
    public ReadOnlySpan<char> ReadTokens(Span<Range> tokens, int expected, string what)
    {
        string line = ReadLine(what);
        int count = line.AsSpan().SplitAny(tokens[..(expected + 1)], " \t",
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (count != expected)
            throw Error($"expected {expected} values in the {what}, got {(count > expected ? "more" : count.ToString(CultureInfo.InvariantCulture))}");
        return line;
    }

    public int ReadInt(string what)
    {
        var line = ReadLine(what).AsSpan().Trim();
        if (!int.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            throw Error($"expected an integer for {what}, got \"{line}\"");
        return value;
    }

    public int ReadCount(string what, int min, int max)
    {
        int value = ReadInt(what);
        if (value < min || value > max)
            throw Error($"{what} {value} is outside {min}..{max}");
        return value;
    }

    /// <summary>Parses a number; "NaN" and "Infinity" parse, and callers that keep the value check finiteness.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> token, out float value) =>
        float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public SkeletonFormatException NotANumber(ReadOnlySpan<char> token, string what) =>
        Error($"{what} is not a number: \"{token}\"");

    /// <summary>After the last frame only blank lines may follow.</summary>
    public void ExpectEnd()
    {
        while (text.ReadLine() is string line)
        {
            LineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
                throw Error("unexpected content after the last frame (is the frame count too small?)");
        }
    }

    public SkeletonFormatException Error(string problem) => new(source, $"line {LineNumber}", problem);
}
