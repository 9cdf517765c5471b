using System.Globalization;
using ScottPlot;

namespace Assl.Model.Reports;

/// <summary>Draws a <see cref="ConfusionMatrix"/> as a row-normalised heatmap PNG.</summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Above this many classes cell text would be unreadable, so only colours (and the colour bar) remain.</summary>
    private const int MaxAnnotatedClasses = 30;

    /// <summary>Renders the plot and writes it atomically to <paramref name="path"/>, creating the folder.</summary>
    public static void SavePng(ConfusionMatrix matrix, string path, string title) =>
        AtomicFile.WriteAllBytes(path, RenderPng(matrix, title));

    /// <summary>
    /// Renders the plot as PNG bytes. Rows are true classes (first at the top), columns predicted classes;
    /// colour and text are the share of the row's samples, so rare and common classes read alike.
    /// The title gets top-1 and the sample count appended.
    /// </summary>
    public static byte[] RenderPng(ConfusionMatrix matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentNullException.ThrowIfNull(title);
        ReportFonts.EnsureRegistered();

        int n = matrix.ClassCount;
        double[,] share = matrix.RowNormalised();
        IColormap colormap = new ScottPlot.Colormaps.Viridis();

        var plot = new Plot();
        plot.Font.Set(ReportFonts.Family);

        // Row t is drawn at y = n-1-t so the first class is on top, the way confusion matrices are read;
        // ScottPlot's heatmap puts row 0 of its data at the top of its extent, so the data goes in as is.
        // Percent, so the colour bar reads in the same unit as the cell text.
        var percent = new double[n, n];
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
                percent[t, p] = share[t, p] * 100;
        var heatmap = plot.Add.Heatmap(percent);
        heatmap.Colormap = colormap;
        heatmap.ManualRange = new ScottPlot.Range(0, 100); // fixed scale: colours mean the same in every plot
        // Rectangle gives the outer edges (Extent would be the centres of the edge cells), so cell k spans k ± 0.5
        // and lines up with tick k.
        heatmap.Rectangle = new CoordinateRect(-0.5, n - 0.5, -0.5, n - 0.5);

        var colorBar = plot.Add.ColorBar(heatmap);
        colorBar.Label = "% of true class";
        colorBar.Axis.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(10); // default ticks every 5 are crowded

        bool annotate = n <= MaxAnnotatedClasses;
        float cellFont = n <= 8 ? 14 : n <= 15 ? 11 : 8;
        if (annotate)
        {
            for (int t = 0; t < n; t++)
            {
                for (int p = 0; p < n; p++)
                {
                    // Empty cells stay blank: a wall of "0" hides the few confusions worth seeing.
                    if (matrix[t, p] == 0)
                        continue;
                    var text = plot.Add.Text(FormatShare(share[t, p]), p, n - 1 - t);
                    text.LabelFontName = ReportFonts.Family;
                    text.LabelFontSize = cellFont;
                    text.LabelAlignment = Alignment.MiddleCenter;
                    // Viridis is dark at the low end and bright at the high end.
                    text.LabelFontColor = share[t, p] > 0.6 ? Colors.Black : Colors.White;
                }
            }
        }

        double[] positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        string[] names = matrix.ClassNames.ToArray();
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks(positions.Select(y => n - 1 - y).ToArray(), names);

        // Long names overlap when horizontal: tilt them and reserve room for the longest.
        bool tilt = names.Any(name => name.Length > 4) || n > 12;
        float bottomLabelSize = 0;
        using (Paint paint = Paint.NewDisposablePaint())
        {
            foreach (string name in names)
                bottomLabelSize = Math.Max(bottomLabelSize, plot.Axes.Bottom.TickLabelStyle.Measure(name, paint).Size.Width);
        }
        if (tilt)
        {
            // Counter-clockwise with the label's end at its tick: names rise towards their column.
            plot.Axes.Bottom.TickLabelStyle.Rotation = -45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
            plot.Axes.Bottom.TickLabelStyle.OffsetY = 6; // clear of the frame line
            plot.Axes.Bottom.MinimumSize = bottomLabelSize * 0.72f + 40;
        }

        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.HideGrid();
        plot.XLabel("Predicted class");
        plot.YLabel("True class");
        string top1 = (matrix.Top1 * 100).ToString("F1", CultureInfo.InvariantCulture);
        plot.Title($"{title}\ntop-1 {top1}%  ·  n = {matrix.Total.ToString(CultureInfo.InvariantCulture)}");

        // Cells stay at least ~28 px and at most ~70 px square whatever the class count; the margins
        // (labels, colour bar, title) are added on top.
        int cell = Math.Clamp(700 / n, 28, 70);
        int dataSide = cell * n;
        int width = dataSide + 200 + (int)bottomLabelSize;
        int height = dataSide + 140 + (tilt ? (int)(bottomLabelSize * 0.72f) : 20);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    private static string FormatShare(double share)
    {
        double percent = share * 100;
        // Whole percent is enough to read a matrix; below 1% one decimal keeps a rare confusion from reading "0".
        return percent >= 1 || percent == 0
            ? percent.ToString("F0", CultureInfo.InvariantCulture)
            : percent.ToString("F1", CultureInfo.InvariantCulture);
    }
}
