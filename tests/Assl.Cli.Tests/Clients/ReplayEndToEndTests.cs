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
}
