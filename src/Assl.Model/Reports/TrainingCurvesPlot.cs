using System.Globalization;
using ScottPlot;

namespace Assl.Model.Reports;

/// <summary>Draws a <see cref="TrainingHistory"/> as two stacked panels in one PNG: loss terms on top, validation top-1 below.</summary>
/// <remarks>
/// Two panels rather than a second Y axis: losses and accuracy have unrelated scales, and a shared panel
/// invites reading crossings of the curves as meaningful. Both panels span the same epochs so they line up.
/// </remarks>
public static class TrainingCurvesPlot
{
    private const int Width = 900;
    private const int Height = 750;

    /// <summary>Renders the plot and writes it atomically to <paramref name="path"/>, creating the folder.</summary>
    public static void SavePng(TrainingHistory history, string path, string title) =>
        AtomicFile.WriteAllBytes(path, RenderPng(history, title));

    /// <summary>
    /// Renders the plot as PNG bytes. Non-finite losses (a diverged epoch) and epochs without validation
    /// leave gaps rather than failing, so a broken run can still be looked at.
    /// </summary>
    public static byte[] RenderPng(TrainingHistory history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(title);
        ReportFonts.EnsureRegistered();

        IReadOnlyList<EpochRecord> epochs = history.Epochs;
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot losses = multiplot.GetPlot(0);
        Plot accuracy = multiplot.GetPlot(1);
        foreach (Plot plot in new[] { losses, accuracy })
        {
            plot.Font.Set(ReportFonts.Family);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }

        IPalette palette = new ScottPlot.Palettes.Category10();
        IReadOnlyList<string> names = history.LossNames();
        for (int i = 0; i < names.Count; i++)
        {
            string name = names[i];
            var points = epochs
                .Where(e => e.Losses.TryGetValue(name, out double v) && double.IsFinite(v))
                .Select(e => (X: (double)e.Epoch, Y: e.Losses[name]))
                .ToArray();
            if (points.Length == 0)
                continue;
            var line = losses.Add.Scatter(points.Select(p => p.X).ToArray(), points.Select(p => p.Y).ToArray());
            line.LegendText = name;
            line.Color = palette.GetColor(i);
            line.LineWidth = 2;
            line.MarkerSize = points.Length <= 60 ? 5 : 0; // markers clutter long runs
        }
        string last = epochs.Count == 0 ? "no epochs" : $"epoch {epochs[^1].Epoch.ToString(CultureInfo.InvariantCulture)}";
        losses.Title($"{title}  ·  {last}");
        losses.YLabel("loss");
        losses.XLabel("epoch");
        losses.ShowLegend(Alignment.UpperRight);

        var validated = epochs.Where(e => e.ValidationTop1 is double v && double.IsFinite(v)).ToArray();
        if (validated.Length > 0)
        {
            double[] xs = validated.Select(e => (double)e.Epoch).ToArray();
            double[] ys = validated.Select(e => e.ValidationTop1!.Value * 100).ToArray();
            var line = accuracy.Add.Scatter(xs, ys);
            line.LegendText = "validation top-1";
            line.Color = palette.GetColor(names.Count);
            line.LineWidth = 2;
            line.MarkerSize = validated.Length <= 60 ? 5 : 0;

            int bestIndex = Array.IndexOf(ys, ys.Max());
            var best = accuracy.Add.Marker(xs[bestIndex], ys[bestIndex]);
            best.MarkerShape = MarkerShape.OpenCircle;
            best.MarkerSize = 14;
            best.Color = Colors.Red;
            best.LegendText = $"best {ys[bestIndex].ToString("F1", CultureInfo.InvariantCulture)}% @ epoch {xs[bestIndex].ToString(CultureInfo.InvariantCulture)}";
            accuracy.ShowLegend(Alignment.LowerRight);
        }
        else
        {
            var note = accuracy.Add.Annotation("no validation recorded", Alignment.MiddleCenter);
            note.LabelFontName = ReportFonts.Family;
        }
        accuracy.YLabel("validation top-1 (%)");
        accuracy.XLabel("epoch");

        // Same padding on both panels (automatic layout sizes each to its own tick labels), so epoch k sits at the
        // same pixel column in both; the top panel keeps room for the title.
        losses.Layout.Fixed(new PixelPadding(left: 80, right: 25, bottom: 55, top: 45));
        accuracy.Layout.Fixed(new PixelPadding(left: 80, right: 25, bottom: 55, top: 15));

        // Same epoch span on both panels so a loss spike lines up with the accuracy it caused.
        if (epochs.Count > 0)
        {
            double first = epochs.Min(e => e.Epoch), lastEpoch = epochs.Max(e => e.Epoch);
            double pad = Math.Max(0.5, (lastEpoch - first) * 0.03);
            losses.Axes.SetLimitsX(first - pad, lastEpoch + pad);
            accuracy.Axes.SetLimitsX(first - pad, lastEpoch + pad);
        }

        using ScottPlot.Image image = multiplot.Render(Width, Height);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }
}
