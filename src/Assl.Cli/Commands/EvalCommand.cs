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
        var command = new Command("eval", "Evaluate a saved model: top-1, per-class accuracy, confusion matrix.") { checkpoint, data, views, output };
        command.SetAction((parse, ct) => Verb.Guard(() => Task.FromResult(Run(parse.GetValue(checkpoint)!.FullName, parse.GetValue(data)!.FullName,
            parse.GetValue(views)!, parse.GetValue(output)?.FullName, Console.Out, ct))));
        return command;
    }

    public static int Run(string checkpointPath, string dataDirectory, string views, string? outputDirectory, TextWriter output, CancellationToken ct)
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
            var result = set.Evaluate(network);
            var matrix = new ConfusionMatrix(result.Truth, result.Predicted, manifest.ClassNames);

            output.WriteLine($"model {manifest.ModelVersion} ({manifest.JointLayout}, T={manifest.Preprocessing.Frames}) on {selected.Count} sequences (views {views})");
            output.WriteLine($"top-1: {result.Top1:P1}");
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
