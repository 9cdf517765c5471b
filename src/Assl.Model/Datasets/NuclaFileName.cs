using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Assl.Model.Datasets;

/// <summary>
/// An N-UCLA sample name, <c>aAA_sSS_eEE_vVV</c>: action code, subject, repetition (episode) and view
/// (camera). Only the shape is checked here; whether the action is one of the ten classes is
/// <see cref="NuclaClasses"/>' concern.
/// </summary>
public readonly record struct NuclaFileName(int Action, int Subject, int Repetition, int View)
{
    /// <summary>Parses a bare name or a file name/path ending in .json.</summary>
    /// <exception cref="FormatException">The name is not <c>aAA_sSS_eEE_vVV</c>.</exception>
    public static NuclaFileName Parse(string name) =>
        TryParse(name, out var parsed)
            ? parsed
            : throw new FormatException(
                $"'{name}' is not an N-UCLA sample name: expected aAA_sSS_eEE_vVV with two digits each, e.g. a01_s01_e00_v01.");

    public static bool TryParse(string? name, [NotNullWhen(true)] out NuclaFileName result)
    {
        result = default;
        if (name is null) return false;
        var s = Path.GetFileName(name.AsSpan());
        if (s.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) s = s[..^5];
        // a01_s01_e00_v01: four two-digit fields, each behind its letter, joined by underscores.
        if (s.Length != 15) return false;
        if (!Field(s, 0, 'a', out int action) || !Field(s, 4, 's', out int subject)
            || !Field(s, 8, 'e', out int repetition) || !Field(s, 12, 'v', out int view))
            return false;
        if (s[3] != '_' || s[7] != '_' || s[11] != '_') return false;
        result = new NuclaFileName(action, subject, repetition, view);
        return true;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"a{Action:D2}_s{Subject:D2}_e{Repetition:D2}_v{View:D2}");

    private static bool Field(ReadOnlySpan<char> s, int at, char letter, out int value)
    {
        value = 0;
        if (char.ToLowerInvariant(s[at]) != letter || !char.IsAsciiDigit(s[at + 1]) || !char.IsAsciiDigit(s[at + 2]))
            return false;
        value = (s[at + 1] - '0') * 10 + (s[at + 2] - '0');
        return true;
    }
}
