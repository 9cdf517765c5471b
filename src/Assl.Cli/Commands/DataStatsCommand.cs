using System.CommandLine;
using System.Diagnostics;
using Assl.Cli.Infrastructure;
using Assl.Model.Datasets;

namespace Assl.Cli.Commands;

/// <summary>`assl data stats &lt;dir&gt;`: what a dataset folder holds, and what could not be read.</summary>
public static class DataStatsCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Dataset folder (N-UCLA all_sqe JSON files)." };
        var command = new Command("stats", "Counts per class and view, sequence lengths, and rejected files.") { dir };
        command.SetAction(parse => Verb.Guard(() => Run(parse.GetValue(dir)!.FullName, Console.Out)));
        return command;
    }

    public static int Run(string directory, TextWriter output)
    {
        var clock = Stopwatch.StartNew();
        var result = NuclaDataset.Load(directory, new ConsoleProgress("reading", output));
        clock.Stop();
        var samples = result.Samples;
        output.WriteLine($"{directory}");
        output.WriteLine($"{samples.Count} sequences read in {clock.Elapsed.TotalSeconds:F2} s, {result.Rejected.Count} rejected");
        if (samples.Count > 0)
        {
            var views = samples.Select(s => s.View).Distinct().Order().ToArray();
            output.WriteLine($"{samples.Select(s => s.ClassIndex).Distinct().Count()} classes, {views.Length} views, {samples.Select(s => s.Subject).Distinct().Count()} subjects, layout {samples[0].Sequence.Layout.Id}");
            output.WriteLine();
            output.WriteLine($"{"class",-28}{string.Concat(views.Select(v => $"{"view " + v,9}"))}{"total",9}");
            foreach (var group in samples.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key))
            {
                var name = $"{group.Key,2} {NuclaClasses.NameOf(group.Key)}";
                output.WriteLine($"{name,-28}{string.Concat(views.Select(v => $"{group.Count(s => s.View == v),9}"))}{group.Count(),9}");
            }
            output.WriteLine($"{"total",-28}{string.Concat(views.Select(v => $"{samples.Count(s => s.View == v),9}"))}{samples.Count,9}");

            var lengths = samples.Select(s => s.Sequence.FrameCount).Order().ToArray();
            double Pct(double p) => lengths[(int)Math.Min(lengths.Length - 1, Math.Floor(p * lengths.Length))];
            output.WriteLine();
            output.WriteLine($"frames per sequence: min {lengths[0]}, p10 {Pct(0.1)}, median {Pct(0.5)}, mean {lengths.Average():F1}, p90 {Pct(0.9)}, max {lengths[^1]}");
            output.WriteLine($"short sequences: {lengths.Count(l => l == 1)} with 1 frame, {lengths.Count(l => l < 10)} with fewer than 10");
            int[] edges = [1, 10, 25, 50, 75, 100, 150, 250];
            for (int i = 0; i < edges.Length - 1; i++)
            {
                int count = lengths.Count(l => l >= edges[i] && l < edges[i + 1]);
                output.WriteLine($"  {edges[i],4}-{edges[i + 1] - 1,-4} {count,5} {new string('#', (int)Math.Ceiling(count * 50.0 / lengths.Length))}");
            }
        }
        if (result.Rejected.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("rejected:");
            foreach (var rejected in result.Rejected)
                output.WriteLine($"  {Path.GetFileName(rejected.Path)}: {rejected.Reason}");
        }
        return samples.Count > 0 ? Verb.Ok : Verb.Failed;
    }
}
