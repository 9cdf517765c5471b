using System.Diagnostics;
using Assl.Tests;

namespace Assl.Cli.Tests;

/// <summary>`assl bench inference` as a user runs it: its own process, the shipped model, real N-UCLA windows.</summary>
public sealed class InferenceBenchTests
{
    [Fact]
    public async Task TheShippedModelIsTimedAtBothBatchSizesWithoutAWarningPerPass()
    {
        var data = RealData.NuclaDirectory;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "assl.dll"), "bench", "inference", "--model", RealData.ShippedModel,
                     "--threads", "1", "--seconds", "0.2", "--data", data })
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        string said = await stdout, complained = await stderr;

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {complained}");
        Assert.Matches(@"batch 1: +[0-9.]+ ms per window", said);
        Assert.Matches(@"batch 32: +[0-9]+ windows/s", said);
        // The shipped graph model's passes of 32 are offered to NNPACK; where it cannot start, libtorch logged that
        // on every pass (thousands of lines a minute from a loaded server) until Nnpack switched it off after the
        // first. Where NNPACK works there is no line at all.
        int warnings = complained.Split('\n').Count(line => line.Contains("NNPACK", StringComparison.Ordinal));
        Assert.True(warnings <= 1, $"{warnings} NNPACK lines on stderr:\n{complained[..Math.Min(complained.Length, 2000)]}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    public void ABatchSizeOutsideOneTo128IsRefusedBeforeAnythingLoads(int batch)
    {
        var e = Assert.Throws<ArgumentException>(() => Assl.Cli.Commands.InferenceBenchCommand.Run(
            "no-such-model.assl", 1, 0.1, "no-such-folder", TextWriter.Null, batch));
        Assert.Contains("--batch must be 1 to 128", e.Message);
    }
}
