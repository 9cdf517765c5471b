using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;
using Assl.Model.Datasets;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl demo`: the whole loop in one command. Starts the server in-process with the shipped model,
/// replays N-UCLA test-view sequences into it as four live cameras, and reports how many were
/// announced as their true action.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (default: $ASSL_DATA or ../shared/data beside the repository)." };
        var count = new Option<int>("--count") { Description = "Sequences to replay.", DefaultValueFactory = _ => 20 };
        var model = new Option<FileInfo?>("--model") { Description = "Model to serve (default: the shipped models/nucla-default.assl)." };
        var speed = new Option<double>("--speed") { Description = "Playback speed (1 = real time).", DefaultValueFactory = _ => 1.0 };
        var command = new Command("demo", "Start a server with the shipped model, replay N-UCLA view-3 sequences into it on 4 cameras, and print the events.")
        {
            data, count, model, speed,
        };
        command.SetAction((parse, ct) => Verb.Guard(() => RunAsync(parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(),
            parse.GetValue(count), parse.GetValue(model)?.FullName ?? InProcessServer.ShippedModel(), parse.GetValue(speed), Console.Out, ct)));
        return command;
    }

    public static async Task<int> RunAsync(string dataDirectory, int count, string modelPath, double speed, TextWriter output, CancellationToken ct)
    {
        if (count < 1) throw new ArgumentException($"--count must be at least 1, got {count}.");
        if (!Directory.Exists(dataDirectory))
            throw new DirectoryNotFoundException($"N-UCLA data not found at {dataDirectory}: pass --data <all_sqe folder> or set ASSL_DATA.");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"Model not found: {modelPath} (pass --model).", modelPath);

        int windowFrames = CheckpointFile.ReadManifest(modelPath).Preprocessing.Frames;
        var clips = PickSequences(dataDirectory, count, minFrames: windowFrames + 10);
        output.WriteLine($"starting the server with {Path.GetFileName(modelPath)} …");
        await using var server = await InProcessServer.StartAsync(modelPath, ct);
        using var connection = AsslConnection.Open(server.Address, apiKey: null);
        var description = await connection.DescribeAsync(ct);
        output.WriteLine($"{server.Address}: model {description.Version}, {description.WindowFrames}-frame windows at {description.FramesPerSecond} fps");
        output.WriteLine($"replaying {clips.Count} view-3 sequences of at least {windowFrames + 10} frames (two windows: enough for an action to start) " +
                         $"on 4 cameras at speed {speed} …");
        output.WriteLine();

        var report = await ReplayRunner.RunAsync(connection, description, clips, new ReplaySettings(Cameras: 4, Speed: speed), output, printEvents: true, ct);
        report.WriteSummary();
        var (labelled, correct) = report.Accuracy;
        output.WriteLine();
        output.WriteLine($"{correct} of {labelled} sequences got a STARTED event of their true class.");
        return Verb.Ok;
    }

    /// <summary>
    /// View-3 (held-out) sequences long enough for two windows, dealt across the classes in turn so a
    /// short demo still shows several actions.
    /// </summary>
    public static IReadOnlyList<ReplayClip> PickSequences(string dataDirectory, int count, int minFrames)
    {
        var files = Directory.EnumerateFiles(dataDirectory, "*.json")
            .Where(f => NuclaFileName.TryParse(f, out var n) && n.View == 3 && NuclaClasses.TryIndexOfAction(n.Action, out _))
            .Order(StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0) throw new InvalidDataException($"No N-UCLA view-3 files (aAA_sSS_eEE_v03.json) in {dataDirectory}.");
        var byClass = files.Select(ReplayClip.Load).Where(c => c.LongestBodyFrames >= minFrames)
            .GroupBy(c => c.ClassIndex ?? -1).OrderBy(g => g.Key).Select(g => new Queue<ReplayClip>(g)).ToList();
        var picked = new List<ReplayClip>();
        while (picked.Count < count && byClass.Any(q => q.Count > 0))
            foreach (var queue in byClass.Where(q => q.Count > 0))
                if (picked.Count < count) picked.Add(queue.Dequeue());
        if (picked.Count == 0) throw new InvalidDataException($"No view-3 sequence in {dataDirectory} has {minFrames} frames or more.");
        return picked;
    }
}
