using System.Diagnostics;
using System.Text;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;
using Assl.Tests;

namespace Assl.Cli.Tests;

/// <summary>Ctrl-C / SIGTERM: a verb stops at its next safe point and keeps what it saved.</summary>
public sealed class TerminationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("assl-term-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheFirstRequestCancelsRepeatsWithinASecondAreTheSameRequestALaterOneQuits()
    {
        var error = new StringWriter();
        using var signals = new TerminationSignals(error, listen: false);
        long start = Stopwatch.GetTimestamp();
        Assert.True(signals.Request(start));
        Assert.True(signals.Token.IsCancellationRequested);
        Assert.True(signals.Request(start + Stopwatch.Frequency / 2)); // the same Ctrl-C, forwarded by `dotnet run`
        Assert.False(signals.Request(start + 2 * Stopwatch.Frequency)); // a second Ctrl-C: quit now
        Assert.Contains("stopping at the next safe point", error.ToString());
    }

    [SkippableFact]
    public async Task SigtermDuringTrainingStopsCleanlyAndLeavesALoadableCheckpoint()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "sends POSIX signals with kill(1)");
        var data = RealData.NuclaDirectory;
        var config = Path.Combine(_dir, "tiny.json");
        await File.WriteAllTextAsync(config, """
            { "method": "supervised", "epochs": 200, "frames": 20, "encoder": { "kind": "gru", "hidden": 16, "layers": 1 } }
            """);
        var output = Path.Combine(_dir, "run");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "assl.dll"), "train", "--config", config, "--labels", "0.3",
                     "--data", data, "--out", output })
            info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var secondEpoch = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (stdout) stdout.AppendLine(e.Data);
            if (e.Data?.StartsWith("epoch   2/") == true) secondEpoch.TrySetResult();
        };
        process.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await secondEpoch.Task.WaitAsync(TimeSpan.FromSeconds(120));
            // One stop request delivered twice, as a terminal's Ctrl-C reaches both `dotnet run` and its child.
            Kill(process.Id);
            Kill(process.Id);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exit.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill();
        }

        string said, complained;
        lock (stdout) said = stdout.ToString();
        lock (stderr) complained = stderr.ToString();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {complained}");
        Assert.Contains("stopped after", said);
        Assert.DoesNotContain("Unhandled", complained);
        Assert.Contains("stopping at the next safe point", complained);
        var (network, manifest) = CheckpointFile.Load(Path.Combine(output, "model.assl"));
        network.Dispose();
        Assert.Equal("kinect-v1-20", manifest.JointLayout);
    }

    private static void Kill(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString()]);
        kill.WaitForExit();
    }
}
