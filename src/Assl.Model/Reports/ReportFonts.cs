using System.Reflection;
using SkiaSharp;

namespace Assl.Model.Reports;

/// <summary>
/// The typeface every report plot uses, shipped inside this assembly.
/// </summary>
/// <remarks>
/// SkiaSharp's Linux NoDependencies build (what ScottPlot pulls) has no fontconfig: it scans the system
/// font folders itself and, on a machine without fonts, its default typeface has no glyphs, so every title,
/// tick label and legend silently renders as nothing. Embedding DejaVu Sans (Bitstream Vera licence, see
/// Fonts/LICENSE-DejaVu.txt) makes labels render with no OS package, and makes the same plot give the same
/// pixels on every machine whatever fonts it has.
/// </remarks>
internal static class ReportFonts
{
    /// <summary>
    /// Family name the plots ask ScottPlot for. Deliberately not "DejaVu Sans": other ScottPlot users in the
    /// process asking for the system font keep getting the system font.
    /// </summary>
    public const string Family = "Assl DejaVu Sans";

    // Regular weight only: ScottPlot 5.1.59 asks resolvers for the normal weight even for titles it draws bold
    // with system fonts, so a shipped bold face would never be used.
    private static readonly Lazy<SKTypeface> Regular = new(() => Load("DejaVuSans.ttf"));
    private static readonly object Gate = new();
    private static bool registered;

    /// <summary>Registers the embedded font with ScottPlot once per process; cheap to call before every plot.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (registered)
                return;
            // First in the list so our family name never falls through to a system lookup.
            ScottPlot.Fonts.FontResolvers.Insert(0, new Resolver());
            registered = true;
        }
    }

    private static SKTypeface Load(string fileName)
    {
        string resource = $"Assl.Model.Reports.Fonts.{fileName}";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded font '{resource}' is missing from the assembly.");
        // SKTypeface.FromStream needs a seekable stream it may keep; copy into a managed SKData we own.
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        using SKData data = SKData.CreateCopy(memory.GetBuffer().AsSpan(0, (int)memory.Length));
        return SKTypeface.FromData(data)
            ?? throw new InvalidOperationException($"Embedded font '{resource}' could not be read by Skia.");
    }

    /// <summary>Answers only for <see cref="Family"/>; returning null hands every other name to ScottPlot's own resolvers.</summary>
    private sealed class Resolver : ScottPlot.IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
            CreateTypeface(fontName, bold: false, italic: false);

        // Any weight or slant gets the regular face: an upright regular face beats an empty one.
        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            string.Equals(fontName, Family, StringComparison.Ordinal) ? Regular.Value : null;
    }
}
