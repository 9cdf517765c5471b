using System.CommandLine;
using System.Diagnostics;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;
using Assl.Model.Datasets;
using Assl.Stream.Inference;
using static TorchSharp.torch;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl bench inference-memory`: the server's inference engine alone, fed batches of the sizes a server sees, with the
/// process's resident memory printed as it goes. Separates what the model's passes keep from what gRPC, windowing and
/// the queues keep, which a load test's RSS cannot.
/// </summary>
public static class InferenceMemoryBenchCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model to run.", DefaultValueFactory = _ => new FileInfo(Path.Combine("models", "nucla-default.assl")) };
        var passes = new Option<int>("--passes") { Description = "Forward passes per worker.", DefaultValueFactory = _ => 400 };
        var sizes = new Option<string>("--batch-sizes") { Description = "Batch sizes drawn at random: a range such as 1-64, or a list such as 1,2,64.", DefaultValueFactory = _ => "1-64" };
        var workers = new Option<int>("--workers") { Description = "Passes running at once (the server runs one per core).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var exact = new Option<bool>("--exact-sizes") { Description = "Run every batch at its own size instead of padded to the server's batch shapes (Inference:PadToShapes=false)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (windows to feed)." };
        var command = new Command("inference-memory", "Run the server's inference engine on batches of mixed sizes and print resident memory.") { model, passes, sizes, workers, exact, data };
        command.SetAction(parse => Verb.Guard(() => Task.FromResult(Run(parse.GetValue(model)!.FullName, parse.GetValue(passes),
            ParseSizes(parse.GetValue(sizes)!), parse.GetValue(workers), !parse.GetValue(exact), parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(), Console.Out))));
        return command;
    }

    /// <summary>"1-64" (every size in the range) or "1,2,64".</summary>
    public static int[] ParseSizes(string value)
    {
        var range = value.Split('-', StringSplitOptions.TrimEntries);
        int[] sizes = range.Length == 2 && int.TryParse(range[0], out int low) && int.TryParse(range[1], out int high) && low <= high
            ? Enumerable.Range(low, high - low + 1).ToArray()
            : CommaList.Ints(value, "--batch-sizes");
        if (sizes.Length == 0 || sizes.Any(n => n < 1))
            throw new ArgumentException($"--batch-sizes takes sizes of 1 or more (a range such as 1-64, or a list), got '{value}'.");
        return sizes;
    }

    public static int Run(string modelPath, int passes, IReadOnlyList<int> batchSizes, int workers, bool padToShapes, string dataDirectory, TextWriter output)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        output.WriteLine($"start: {ProcessMemory.Read()}");
        using var engine = TorchInferenceEngine.From(ServingModel.Load(modelPath, CPU), new InferenceOptions { PadToShapes = padToShapes }, workers);
        var clips = ReplayClip.Expand([dataDirectory]).Select(ReplayClip.Load).ToArray();
        var windows = RealWindows.Cut(clips, engine.Current, batchSizes.Max() * 4, seed: 1);
        output.WriteLine($"model loaded, {windows.Length} windows cut, {workers} worker(s), batches {(padToShapes ? "padded to shapes" : "at their own sizes")}: {ProcessMemory.Read()}");

        int reportEvery = Math.Max(1, passes / 8);
        long done = 0, windowsRun = 0;
        var clock = Stopwatch.StartNew();
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            var random = new Random(1000 + w);
            for (int i = 1; i <= passes; i++)
            {
                int size = batchSizes[random.Next(batchSizes.Count)];
                int start = random.Next(windows.Length - size + 1);
                engine.Predict(windows.AsSpan(start, size).ToArray());
                Interlocked.Add(ref windowsRun, size);
                long all = Interlocked.Increment(ref done);
                if (all % (reportEvery * workers) == 0)
                    lock (output) output.WriteLine($"  {all,6} passes, {Interlocked.Read(ref windowsRun),8} windows, {clock.Elapsed.TotalSeconds,6:F1} s: {ProcessMemory.Read()}");
            }
        }) { IsBackground = true, Name = $"assl-memory-{w + 1}" }).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) thread.Join();
        output.WriteLine($"end: {ProcessMemory.Read()}; {windowsRun / clock.Elapsed.TotalSeconds:F0} windows/s");
        return Verb.Ok;
    }
}
