using System.Text;
using System.Text.Json;

namespace Assl.Model.Readers;

/// <summary>
/// A <see cref="Utf8JsonReader"/> over a whole file plus what every error message needs: the file name
/// and the byte offset of the offending token, counted from the start of the file (BOM included).
/// </summary>
/// <remarks>
/// Readers pull tokens one by one instead of deserialising into objects: N-UCLA alone is 1484 files and
/// ~10 million numbers, and a DOM would allocate a node per number.
/// </remarks>
internal ref struct JsonCursor
{
    private readonly ReadOnlySpan<byte> _json;
    private readonly int _bomLength;
    private Utf8JsonReader _reader;

    public JsonCursor(ReadOnlySpan<byte> utf8Json, string source)
    {
        // Utf8JsonReader rejects a BOM, but editors on Windows write one.
        _bomLength = utf8Json.StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
        _json = utf8Json[_bomLength..];
        _reader = new Utf8JsonReader(_json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        Source = source;
    }

    public string Source { get; }

    public readonly JsonTokenType TokenType => _reader.TokenType;

    /// <summary>Byte offset of the current token in the file.</summary>
    public readonly long Offset => _bomLength + _reader.TokenStartIndex;

    /// <summary>Moves to the next token; running out of data is a truncated file.</summary>
    public void Read()
    {
        bool more;
        try
        {
            more = _reader.Read();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
        if (!more)
            throw Error(_bomLength + _json.Length, "unexpected end of file (truncated?)");
    }

    /// <summary>Reads the next token and checks it is <paramref name="type"/>.</summary>
    public void Read(JsonTokenType type, string what)
    {
        Read();
        Expect(type, what);
    }

    public readonly void Expect(JsonTokenType type, string what)
    {
        if (_reader.TokenType != type)
            throw Unexpected(what);
    }

    /// <summary>"expected {what}, got …" at the current token; hot loops test the type themselves and call this only on failure.</summary>
    public readonly SkeletonFormatException Unexpected(string what) => Error($"expected {what}, got {Describe()}");

    /// <summary>Inside an array: moves to the next item, false at the closing bracket.</summary>
    public bool NextItem()
    {
        Read();
        return _reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Inside an object: moves to the next property name, false at the closing brace.</summary>
    public bool NextProperty()
    {
        Read();
        if (_reader.TokenType == JsonTokenType.EndObject) return false;
        Expect(JsonTokenType.PropertyName, "a property name");
        return true;
    }

    public readonly bool PropertyIs(ReadOnlySpan<byte> utf8Name) => _reader.ValueTextEquals(utf8Name);

    /// <summary>Skips the value of the current property (a scalar or a whole array/object).</summary>
    public void SkipValue()
    {
        Read();
        try
        {
            _reader.Skip();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex);
        }
        catch (InvalidOperationException)
        {
            // Skip on a complete buffer only fails when the data ends inside the value.
            throw Error(_bomLength + _json.Length, "unexpected end of file (truncated?)");
        }
    }

    /// <summary>
    /// The current token as a finite float. Hot path: the caller builds its message only on failure,
    /// through <see cref="NumberError"/>, so 10 million coordinates format no strings.
    /// </summary>
    public readonly bool TryGetFiniteFloat(out float value)
    {
        // TryGetDouble refuses non-finite results, so 1e999 fails here too; 1e39 fails the float check.
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetDouble(out double d) && float.IsFinite((float)d))
        {
            value = (float)d;
            return true;
        }
        value = 0;
        return false;
    }

    /// <summary>Why <see cref="TryGetFiniteFloat"/> failed on the current token.</summary>
    public readonly SkeletonFormatException NumberError(string what) =>
        _reader.TokenType == JsonTokenType.Number
            ? Error($"{what} is not a finite 32-bit number: {RawText()}")
            : Error($"expected a number for {what}, got {Describe()}");

    public readonly long GetInt64(string what)
    {
        Expect(JsonTokenType.Number, $"an integer for {what}");
        if (!_reader.TryGetInt64(out long value))
            throw Error($"{what} must be a 64-bit integer, got {RawText()}");
        return value;
    }

    public readonly int GetInt32(string what)
    {
        Expect(JsonTokenType.Number, $"an integer for {what}");
        if (!_reader.TryGetInt32(out int value))
            throw Error($"{what} must be a 32-bit integer, got {RawText()}");
        return value;
    }

    public readonly string GetString(string what)
    {
        Expect(JsonTokenType.String, $"a string for {what}");
        return _reader.GetString() ?? "";
    }

    /// <summary>After the root value: only whitespace may follow.</summary>
    public void ExpectEndOfDocument()
    {
        bool more;
        try
        {
            more = _reader.Read();
        }
        catch (JsonException ex)
        {
            throw Malformed(ex, "unexpected content after the end of the JSON document");
        }
        if (more) throw Error($"unexpected {Describe()} after the end of the JSON document");
    }

    public readonly SkeletonFormatException Error(string problem) => Error(Offset, problem);

    public readonly SkeletonFormatException Error(long offset, string problem) =>
        new(Source, $"byte {offset}", problem);

    private readonly string Describe() => _reader.TokenType switch
    {
        JsonTokenType.String => $"string \"{Truncate(_reader.GetString() ?? "")}\"",
        JsonTokenType.Number => $"number {RawText()}",
        JsonTokenType.StartArray => "'['",
        JsonTokenType.EndArray => "']'",
        JsonTokenType.StartObject => "'{'",
        JsonTokenType.EndObject => "'}'",
        JsonTokenType.PropertyName => $"property \"{Truncate(_reader.GetString() ?? "")}\"",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => _reader.TokenType.ToString(),
    };

    private readonly string RawText() => Truncate(Encoding.UTF8.GetString(_reader.ValueSpan));

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>
    /// JsonException positions are (line, byte in line); messages want one byte offset, so count the
    /// line feeds the reader counted. Only runs on the error path.
    /// </summary>
    private readonly SkeletonFormatException Malformed(JsonException ex, string? problem = null)
    {
        long offset = _json.Length;
        if (ex.LineNumber is long line && ex.BytePositionInLine is long column)
        {
            long lineStart = 0;
            for (long l = 0; l < line; l++)
            {
                int next = _json[(int)lineStart..].IndexOf((byte)'\n');
                if (next < 0) break;
                lineStart += next + 1;
            }
            offset = Math.Min(lineStart + column, _json.Length);
        }
        // The reader blames the last comma when data ends right after it; either way nothing follows.
        var rest = _json[(int)offset..].Trim(" \t\r\n"u8);
        bool truncated = rest.IsEmpty || rest.SequenceEqual(","u8);
        problem ??= truncated ? "unexpected end of file (truncated?)" : "malformed JSON";
        return new SkeletonFormatException(Source, $"byte {_bomLength + offset}", $"{problem}: {ex.Message}", ex);
    }
}
