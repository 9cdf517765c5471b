using System.CommandLine;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;
using Assl.Model.Datasets;
using Assl.Model.Reports;
using Assl.Model.Training;

namespace Assl.Cli.Commands;

/// <summary>`assl eval &lt;checkpoint&gt; &lt;data&gt;`: accuracy of a saved model on labelled sequences.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var checkpoint = new Argument<FileInfo>("checkpoint") { Description = "A .assl model file." };
        var data = new Argument<DirectoryInfo>("data") { Description = "N-UCLA all_sqe folder." };
        var views = new Option<string>("--views") { Description = "Views to evaluate on: e.g. 3 (the cross-view test view) or all.", DefaultValueFactory = _ => "3" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Also write metrics.json and confusion.png here." };
        var yaws = new Option<string?>("--test-time-yaw")
        {
            Description = "Also read each clip turned both ways about the vertical axis by these degrees (15: -15 and +15; 15,30: four turns) and average the class probabilities.",
        };
        var crop = new Option<double?>("--test-time-crop")
        {
            Description = "Also read the first and the last this share of each clip's frames (e.g. 0.9) and average the class probabilities.",
        };
        var command = new Command("eval", "Evaluate a saved model: top-1, per-class accuracy, confusion matrix.") { checkpoint, data, views, output, yaws, crop };
        command.SetAction((parse, ct) => Verb.Guard(() => Task.FromResult(Run(parse.GetValue(checkpoint)!.FullName, parse.GetValue(data)!.FullName,
            parse.GetValue(views)!, parse.GetValue(output)?.FullName, Console.Out, ct,
            TestTimeViewsOf(parse.GetValue(yaws), parse.GetValue(crop))))));
        return command;
    }

    /// <summary>The views the test-time flags ask for; null when neither is given.</summary>
    public static TestTimeViews? TestTimeViewsOf(string? yawDegrees, double? cropFraction)
    {
        if (yawDegrees is null && cropFraction is null) return null;
        var yaws = yawDegrees?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(y => double.TryParse(y, System.Globalization.CultureInfo.InvariantCulture, out var degrees) ? degrees
                : throw new ArgumentException($"--test-time-yaw takes degrees separated by commas (e.g. 15 or 15,30); '{y}' is not a number."))
            .SelectMany(degrees => new[] { -Math.Abs(degrees), Math.Abs(degrees) })
            .ToArray();
        var views = new TestTimeViews(yaws, cropFraction);
        views.Validate();
        return views;
    }

    public static int Run(string checkpointPath, string dataDirectory, string views, string? outputDirectory, TextWriter output, CancellationToken ct,
        TestTimeViews? testTimeViews = null)
    {
        var (network, manifest) = CheckpointFile.Load(checkpointPath);
        using (network)
        {
            var loaded = NuclaDataset.Load(dataDirectory, new ConsoleProgress("reading", output), ct);
            var selected = views == "all" ? loaded.Samples
                : loaded.Samples.Where(s => views.Split(',').Select(int.Parse).Contains(s.View)).ToArray();
            if (selected.Count == 0) throw new ArgumentException($"No sequences of view(s) {views} in {dataDirectory}.");
            CheckpointFile.EnsureCompatible(manifest, checkpointPath, selected[0].Sequence.Layout.Id, classes: NuclaClasses.Count);

            using var set = EvaluationSet.Of(selected, manifest.Preprocessing.Frames);
            var result = set.Evaluate(network, testTimeViews);
            var matrix = new ConfusionMatrix(result.Truth, result.Predicted, manifest.ClassNames);

            output.WriteLine($"model {manifest.ModelVersion} ({manifest.JointLayout}, T={manifest.Preprocessing.Frames}) on {selected.Count} sequences (views {views})");
            output.WriteLine(testTimeViews is null ? $"top-1: {result.Top1:P1}" : $"top-1: {result.Top1:P1} (probabilities averaged over {testTimeViews.Count} views of each clip)");
            for (int c = 0; c < manifest.ClassNames.Count; c++)
                output.WriteLine($"  {manifest.ClassNames[c],-26} {matrix.PerClassAccuracy[c],7:P1}  ({matrix.Support[c]} sequences)");
            if (outputDirectory is not null)
            {
                Directory.CreateDirectory(outputDirectory);
                File.WriteAllText(Path.Combine(outputDirectory, "metrics.json"), matrix.ToJson());
                ConfusionMatrixPlot.SavePng(matrix, Path.Combine(outputDirectory, "confusion.png"), $"{manifest.ModelVersion} on views {views}");
                output.WriteLine($"wrote {outputDirectory}/metrics.json and confusion.png");
            }
            return Verb.Ok;
        }
    }
}
