using Assl.Cli.Clients;
using Assl.Cli.Commands;
using Assl.Proto.V1;
using Assl.Tests;

namespace Assl.Cli.Tests.Clients;

/// <summary>The replay client against the real server (in-process, loopback, shipped model) with real N-UCLA files.</summary>
public sealed class ReplayEndToEndTests
{
    // Two long view-3 sequences (81 and 61 frames): enough windows for an action to start.
    private static readonly string[] Files = ["a09_s03_e00_v03.json", "a08_s01_e01_v03.json"];

    [SkippableFact]
    public async Task ReplayedFilesComeBackAsEventsAndTheSummaryCountsFrames()
    {
        var model = RealData.ShippedModel;
        Skip.IfNot(File.Exists(model), $"shipped model not found at {model}");
        var paths = Files.Select(f => Path.Combine(RealData.NuclaDirectory, f)).ToArray();
        Skip.IfNot(paths.All(File.Exists), "the two N-UCLA sequences are missing");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var server = await InProcessServer.StartAsync(model, timeout.Token, "--Server:ApiKey=test-key");
        using (var connection = AsslConnection.Open(server.Address, "test-key"))
        {
            var description = await connection.DescribeAsync(timeout.Token);
            var clips = ReplayRunner.LoadClips(paths, limit: null);
            var output = new StringWriter();

            var report = await ReplayRunner.RunAsync(connection, description, clips, new ReplaySettings(Cameras: 2, Speed: 0), output,
                printEvents: true, timeout.Token);
            report.WriteSummary();

            Assert.Equal(clips.Sum(c => c.FrameCount), report.FramesSent);
            Assert.Equal(0, report.Rejections);
            Assert.True(report.EventsOf(EventKind.Started) > 0, output.ToString());
            Assert.Equal(report.EventsOf(EventKind.Started), report.EventsOf(EventKind.Ended)); // every body's stream end closes it
            Assert.Contains($"frames sent: {report.FramesSent}", output.ToString());
            Assert.Contains("a09_s03_e00_v03", output.ToString());
        }

        // A wrong key is one clear line, with the status, not a stack trace.
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            int code = await AsslCommandLine.Build().Parse(["replay", paths[0], "--server", server.Address, "--api-key", "wrong"]).InvokeAsync();
            Assert.Equal(3, code);
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("Unauthenticated", error.ToString());
        Assert.Single(error.ToString().Trim().Split('\n'));
    }

    [SkippableFact]
    public async Task AClipShorterThanTheWindowGetsNoEventAsRecordedAndEventsWhenStretched()
    {
        var model = RealData.ShippedModel;
        Skip.IfNot(File.Exists(model), $"shipped model not found at {model}");
        // 44 frames of one body, fewer than the shipped model's 50-frame window.
        var path = Path.Combine(RealData.NuclaDirectory, "a01_s01_e00_v01.json");
        Skip.IfNot(File.Exists(path), "the N-UCLA sequence is missing");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var server = await InProcessServer.StartAsync(model, timeout.Token);
        using var connection = AsslConnection.Open(server.Address, apiKey: null);
        var description = await connection.DescribeAsync(timeout.Token);
        var clips = ReplayRunner.LoadClips([path], limit: null);
        Assert.True(clips[0].LongestBodyFrames < description.WindowFrames);

        var note = ReplayRunner.ShortClipsNote(clips, description.WindowFrames, stretchToFrames: null);
        Assert.Contains($"1 of 1 file(s) have fewer frames than the model's {description.WindowFrames}-frame window", note);
        Assert.Contains($"--stretch-to {ReplayRunner.SuggestedStretch(description.WindowFrames)}", note);
        Assert.Null(ReplayRunner.ShortClipsNote(clips, description.WindowFrames, stretchToFrames: 80));

        var asRecorded = await ReplayRunner.RunAsync(connection, description, clips, new ReplaySettings(Speed: 0), TextWriter.Null, printEvents: false, timeout.Token);
        Assert.Equal(clips[0].FrameCount, asRecorded.FramesSent);
        Assert.Equal(0, asRecorded.Events);

        var stretched = await ReplayRunner.RunAsync(connection, description, clips,
            new ReplaySettings(Speed: 0, StretchToFrames: ReplayRunner.SuggestedStretch(description.WindowFrames)), TextWriter.Null, printEvents: false, timeout.Token);
        Assert.Equal(clips[0].FrameCount, stretched.FramesSent); // the same frames, stamped further apart
        Assert.Equal(0, stretched.Rejections);
        Assert.True(stretched.Events > 0);

        // Stretched to less than a window, a clip would still fill none: refused, naming the window.
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ReplayRunner.RunAsync(connection, description, clips,
            new ReplaySettings(StretchToFrames: description.WindowFrames - 1), TextWriter.Null, printEvents: false, timeout.Token));
        Assert.Contains($"shorter than the model's window ({ReplayRunner.WindowAt30Hz(description)} frames at 30 Hz)", e.Message);
        // The window is counted in the 30 Hz frames a stretch is given in, whatever the model's own grid.
        Assert.Equal(100, ReplayRunner.WindowAt30Hz(new Assl.Proto.V1.ModelDescription { WindowFrames = 50, FramesPerSecond = 15 }));
        Assert.Equal(50, ReplayRunner.WindowAt30Hz(new Assl.Proto.V1.ModelDescription { WindowFrames = 50, FramesPerSecond = 30 }));
    }
}
