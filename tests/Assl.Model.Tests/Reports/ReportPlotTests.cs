using System.Buffers.Binary;
using Assl.Model.Reports;

namespace Assl.Model.Tests.Reports;

/// <summary>
/// Plots are written as real PNGs. Set ASSL_REPORTS_KEEP to a folder to keep the images for a look.
/// </summary>
public sealed class ReportPlotTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string dir;
    private readonly bool keep;

    public ReportPlotTests()
    {
        string? keepDir = Environment.GetEnvironmentVariable("ASSL_REPORTS_KEEP");
        keep = !string.IsNullOrEmpty(keepDir);
        dir = keep ? keepDir! : Path.Combine(Path.GetTempPath(), "assl-plots-" + Guid.NewGuid().ToString("N"));
    }

    public void Dispose()
    {
        if (!keep && Directory.Exists(dir))
            Directory.Delete(dir, recursive: true);
    }

    private static readonly string[] Actions =
        ["drink water", "eat meal", "brush teeth", "brush hair", "drop", "pick up", "throw", "sit down"];

    private static ConfusionMatrix Matrix(int seed)
    {
        var random = new Random(seed);
        var truth = new List<int>();
        var predicted = new List<int>();
        for (int c = 0; c < Actions.Length; c++)
        {
            for (int i = 0; i < 40; i++)
            {
                truth.Add(c);
                // Mostly right; otherwise confused with the neighbouring class.
                predicted.Add(random.NextDouble() < 0.75 ? c : (c + 1 + random.Next(2)) % Actions.Length);
            }
        }
        return new ConfusionMatrix(truth, predicted, Actions);
    }

    private static TrainingHistory History(int epochs)
    {
        var history = new TrainingHistory();
        for (int e = 1; e <= epochs; e++)
        {
            history.Add(new EpochRecord(
                e,
                new() { ["total"] = 3.0 / e + 0.2, ["contrastive"] = 2.0 / e + 0.1, ["reconstruction"] = 1.0 / Math.Sqrt(e) },
                e % 2 == 0 ? 0.3 + 0.6 * (1 - Math.Exp(-e / 5.0)) : null,
                0.1 * Math.Pow(0.9, e),
                30));
        }
        return history;
    }

    private static (int Width, int Height) AssertPng(string path)
    {
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 33);
        Assert.Equal(PngSignature, bytes[..8]);
        // The first chunk must be IHDR: length(4) type(4) width(4) height(4), big-endian.
        Assert.Equal("IHDR"u8.ToArray(), bytes[12..16]);
        int width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4));
        int height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4));
        Assert.True(width > 100, $"width {width}");
        Assert.True(height > 100, $"height {height}");
        return (width, height);
    }

    [Fact]
    public void ConfusionMatrixPlotWritesAPngThatDependsOnTheMatrix()
    {
        string first = Path.Combine(dir, "confusion", "a.png");
        string second = Path.Combine(dir, "confusion", "b.png");

        ConfusionMatrixPlot.SavePng(Matrix(1), first, "NTU toy, cross-subject");
        ConfusionMatrixPlot.SavePng(Matrix(2), second, "NTU toy, cross-subject");

        AssertPng(first);
        AssertPng(second);
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void ConfusionMatrixPlotOverwritesAndHandlesZeroSupportAndManyClasses()
    {
        string path = Path.Combine(dir, "confusion", "overwrite.png");
        ConfusionMatrixPlot.SavePng(new ConfusionMatrix([0, 2], [1, 2], ["a", "b", "c"]), path, "zero support");
        AssertPng(path);

        // 60 classes (NTU-60 size): no cell text, still a valid and larger image.
        var names = Enumerable.Range(1, 60).Select(i => $"action {i}").ToArray();
        var truth = Enumerable.Range(0, 600).Select(i => i % 60).ToArray();
        var predicted = truth.Select((t, i) => i % 7 == 0 ? (t + 1) % 60 : t).ToArray();
        ConfusionMatrixPlot.SavePng(new ConfusionMatrix(truth, predicted, names), path, "sixty classes");
        var (width, height) = AssertPng(path);
        Assert.True(width > 1000 && height > 1000, $"{width}x{height}");
    }

    [Fact]
    public void TrainingCurvesPlotWritesAPngThatDependsOnTheHistory()
    {
        string first = Path.Combine(dir, "curves", "a.png");
        string second = Path.Combine(dir, "curves", "b.png");

        TrainingCurvesPlot.SavePng(History(30), first, "ASSL pretraining");
        TrainingCurvesPlot.SavePng(History(12), second, "ASSL pretraining");

        AssertPng(first);
        AssertPng(second);
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void TrainingCurvesPlotCopesWithEmptyAndDivergedHistories()
    {
        string path = Path.Combine(dir, "curves", "edge.png");
        TrainingCurvesPlot.SavePng(new TrainingHistory(), path, "empty");
        AssertPng(path);

        var diverged = History(5);
        diverged.Add(new EpochRecord(6, new() { ["total"] = double.NaN, ["contrastive"] = double.PositiveInfinity }, null, 0.01, 30));
        TrainingCurvesPlot.SavePng(diverged, path, "diverged");
        AssertPng(path);
    }

    [Fact]
    public void EmbeddedFontHasGlyphsWhateverTheSystemHas()
    {
        // Without it, a machine with no fonts renders plots with no text at all.
        ReportFonts.EnsureRegistered();
        var regular = ScottPlot.Fonts.GetTypeface(ReportFonts.Family, bold: false, italic: false);
        using var font = new SkiaSharp.SKFont(regular);
        Assert.True(font.ContainsGlyphs("Predicted class 0123456789%"));
        Assert.Equal("DejaVu Sans", regular.FamilyName);
        Assert.True(regular.GlyphCount > 1000);
    }
}
