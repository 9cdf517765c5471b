using Assl.Cli.Clients;
using Assl.Tests;

namespace Assl.Cli.Tests.Clients;

/// <summary>`assl loadtest` against the real server (in-process, loopback, shipped model, its metrics endpoint) with real N-UCLA clips.</summary>
public sealed class LoadTestTests
{
    // Long view-3 sequences: each fills a 50-frame window on its own.
    private static readonly string[] Files = ["a09_s03_e00_v03.json", "a08_s01_e01_v03.json"];

    [SkippableTheory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task StaggeredStreamsAreMeasuredAtTheirFrameRateWithServerFigures(int framesPerMessage)
    {
        var (model, clips) = Inputs();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var target = await TargetServer.StartAsync(model, timeout.Token);
        var test = new LoadTest(target.Connection, target.Scraper, TextWriter.Null);

        var settings = new LoadTestSettings(Streams: 4, Fps: 30, Duration: TimeSpan.FromSeconds(3), Warmup: TimeSpan.FromSeconds(2.5),
            Saturate: false, RawSeconds: TimeSpan.Zero, FramesPerMessage: framesPerMessage);
        var result = await test.RunAsync(clips, settings, model, timeout.Token);

        Assert.Equal("staggered", result.Start);
        Assert.Equal(framesPerMessage, result.FramesPerMessage);
        Assert.False(result.Saturated);
        // Never above the asked rate (a replay that falls behind moves on rather than bursting). How far below
        // depends on how busy the machine is, so only "frames flowed" is asserted; the pace itself is tested
        // in ReplayPacingTests.
        Assert.InRange(result.FramesPerS, 1, 4 * 30 * 1.2);
        // At most 120 frames/s at the server's stride of 10 frames: up to about 12 windows/s, read from the
        // server's own counter. Only loose bounds: a server starved of CPU (CI runs three test projects on two
        // cores) infers late, so a 3-second interval need not match the frames sent in it, and may even see none
        // (it did once, 2026-12-06); that windows were inferred at all is asserted by the latency samples below.
        Assert.NotNull(result.WindowsPerS);
        Assert.InRange(result.WindowsPerS!.Value, 0, 20);
        Assert.Equal(0, result.DroppedWindows);
        Assert.True(result.LatencySamples > 0);
        Assert.True(result.P99Ms > 0);
        Assert.Equal(0, test.Rejections);
        // Where the cores went: the server's model and the rest of it (from its metrics), the generator's own (this process).
        Assert.True(result.GeneratorCpuCores > 0);
        if (Assl.Stream.Observability.NamedThreadsCpuTime.IsSupported)
        {
            Assert.NotNull(result.InferenceCpuCores);
            Assert.InRange(result.InferenceCpuCores!.Value, 0, result.ServerCpuCores!.Value + 0.05);
            Assert.Contains("cores                model ", TableOf(result));
        }
    }

    [SkippableFact]
    public async Task SaturationRaisesTheReplaySpeedStepByStepAndReportsTheBestSustainedStep()
    {
        var (model, clips) = Inputs();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
        await using var target = await TargetServer.StartAsync(model, timeout.Token);
        var output = new StringWriter();
        var test = new LoadTest(target.Connection, target.Scraper, output);

        // 4 streams for 3 s: ~40 windows a step, so the one-window-per-stream edge effects of the measured interval
        // stay well inside the ×1.4 step (2 streams for 2 s, ~14 windows, once read 7 → 8 windows/s).
        var settings = new LoadTestSettings(Streams: 4, Fps: 30, Duration: TimeSpan.FromSeconds(3), Warmup: TimeSpan.FromSeconds(2),
            Saturate: true, RawSeconds: TimeSpan.FromSeconds(0.3), SaturationSteps: 3, SaturationRefinements: 1);
        var result = await test.RunAsync(clips, settings, model, timeout.Token);

        Assert.True(result.Saturated);
        Assert.InRange(test.SaturationSteps.Count, 1, 3);
        for (int i = 1; i < test.SaturationSteps.Count; i++)
            Assert.Equal(test.SaturationSteps[i - 1].Speed * LoadTest.SaturationStepFactor, test.SaturationSteps[i].Speed, 0.01);
        // When the replay kept the faster pace (the load generator shares the cores with the server and, in CI,
        // with other test projects, so it may not), faster camera time means proportionally more windows.
        if (test.SaturationSteps.Count > 1 && test.SaturationSteps[1].DroppedWindows == 0
            && test.SaturationSteps[1].FramesPerS > test.SaturationSteps[0].FramesPerS * 1.3)
            Assert.True(test.SaturationSteps[1].WindowsPerS > test.SaturationSteps[0].WindowsPerS * 1.1,
                string.Join(", ", test.SaturationSteps.Select(s => $"{s.FramesPerS} frames/s → {s.WindowsPerS} windows/s")));
        // The reported figure is the best step that was sustained (no drops, p99 within bounds).
        bool Sustained(LoadTestResult s) => s.DroppedWindows == 0 && s.P99Ms <= settings.MaxLatencyMs;
        var sustained = test.SaturationSteps.Concat(test.RefinementSteps).Where(Sustained).ToList();
        Assert.NotEmpty(sustained);
        Assert.Equal(sustained.Max(s => s.WindowsPerS), result.WindowsPerS);
        Assert.Contains("step 1: ×1 live", output.ToString());

        // Each step is compared with the model measured just before and just after it (real forward passes, so real rates):
        // one measurement between two steps serves both, and the step's raw figure is the mean of its two.
        var all = test.SaturationSteps.Concat(test.RefinementSteps).ToList();
        Assert.All(all, s =>
        {
            Assert.True(s.RawBeforeWindowsPerS > 0 && s.RawAfterWindowsPerS > 0);
            Assert.Equal((s.RawBeforeWindowsPerS!.Value + s.RawAfterWindowsPerS!.Value) / 2, s.RawWindowsPerS!.Value, 0.1);
            Assert.Contains(s.RawBatchSize!.Value, RawThroughput.BatchSizes);
        });
        // Every way measured (the best found, and the server's own) is printed per step; what a step found after it, the next found before it.
        var lines = output.ToString().Split('\n').Where(l => l.Contains("% of raw (")).ToList();
        Assert.Equal(all.Count, lines.Count);
        var ways = lines.Select(l => System.Text.RegularExpressions.Regex.Matches(l, @"(\d+×\d+ thread\(s\) @\d+): (\d+) before, (\d+) after")
            .ToDictionary(m => m.Groups[1].Value, m => (Before: m.Groups[2].Value, After: m.Groups[3].Value))).ToList();
        Assert.All(ways, w => Assert.InRange(w.Count, 1, 2));
        Assert.Contains(ways[0].Keys, k => k.EndsWith($"@{RawThroughput.ServerDefaultWay.BatchSize}"));
        for (int i = 1; i < ways.Count; i++)
            foreach (var (way, figures) in ways[i])
                Assert.Equal(ways[i - 1][way].After, figures.Before);
        // Each step also says where the cores went, beside the cores the model had alone (real passes on this process's threads).
        Assert.All(all, s => Assert.True(s.RawCpuCores > 0 && s.GeneratorCpuCores > 0));
        if (Assl.Stream.Observability.NamedThreadsCpuTime.IsSupported)
        {
            Assert.All(all, s => Assert.NotNull(s.ModelCoreShare));
            var coreLines = output.ToString().Split('\n').Where(l => l.Contains("cores: model ")).ToList();
            Assert.Equal(all.Count, coreLines.Count);
            // Windows per core is undefined for a step in which a starved server inferred nothing (CI shares the cores with
            // other test projects, and a 3-s step once saw no window): such a step's line stops before the comparison.
            Assert.Equal(all.Count(s => s.ModelEfficiency is not null), coreLines.Count(l => l.Contains("of its cores in service")));
            Assert.All(all.Where(s => s.WindowsPerS > 0 && s.InferenceCpuCores > 0), s => Assert.NotNull(s.ModelEfficiency));
        }
        var winner = sustained.First(s => s.WindowsPerS == result.WindowsPerS);
        Assert.Equal(winner.RawWindowsPerS, result.RawWindowsPerS);
        Assert.Equal(winner.RawBeforeWindowsPerS, result.RawBeforeWindowsPerS);
        // The peak is the most any step ran, sustained or not, with the raw figure taken around that step.
        var peak = all.MaxBy(s => s.WindowsPerS)!;
        Assert.Equal(peak.WindowsPerS, result.PeakWindowsPerS);
        Assert.Equal(peak.Speed, result.PeakSpeed);
        Assert.Equal(peak.RawWindowsPerS, result.PeakRawWindowsPerS);
        Assert.True(result.PeakWindowsPerS >= result.WindowsPerS);
        Assert.Contains("peak windows/s", TableOf(result));
        // A step that was not sustained is followed by one refinement between it and the best sustained speed.
        if (test.SaturationSteps[^1] is { } last && !Sustained(last))
        {
            var refinement = Assert.Single(test.RefinementSteps);
            Assert.InRange(refinement.Speed, test.SaturationSteps.Where(Sustained).Max(s => s.Speed) + 0.001, last.Speed - 0.001);
            Assert.Contains("refine 1: ×", output.ToString());
        }
        else
        {
            Assert.Empty(test.RefinementSteps);
        }

        // A bound no step can meet is a clear error, not a figure.
        var impossible = new LoadTest(target.Connection, target.Scraper, TextWriter.Null);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => impossible.RunAsync(clips,
            settings with { MaxLatencyMs = 0.001, SaturationSteps = 2, Duration = TimeSpan.FromSeconds(1), Warmup = TimeSpan.FromSeconds(1.5), RawSeconds = TimeSpan.Zero },
            model, timeout.Token));
        Assert.Contains("was not sustained", e.Message);
    }

    [SkippableFact]
    public async Task RepeatsRunTheSustainedStepAgainEachAgainstTheRawAroundIt()
    {
        var (model, clips) = Inputs();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        await using var target = await TargetServer.StartAsync(model, timeout.Token);
        var output = new StringWriter();
        var test = new LoadTest(target.Connection, target.Scraper, output);

        // One search step (×1 live, which 4 streams sustain), then two repeats of it.
        var settings = new LoadTestSettings(Streams: 4, Fps: 30, Duration: TimeSpan.FromSeconds(2), Warmup: TimeSpan.FromSeconds(1.5),
            Saturate: true, RawSeconds: TimeSpan.FromSeconds(0.3), SaturationSteps: 1, SaturationRefinements: 0, Repeats: 2);
        var result = await test.RunAsync(clips, settings, model, timeout.Token);

        Assert.Equal(2, test.RepeatSteps.Count);
        Assert.All(test.RepeatSteps, r => Assert.Equal(result.Speed, r.Speed));
        Assert.Contains("repeat 1: ×1 live", output.ToString());
        Assert.Contains("repeat 2: ×1 live", output.ToString());
        Assert.Equal(2, result.Repeats);
        Assert.InRange(result.RepeatsSustained!.Value, 0, 2);
        // Each ratio is its own repeat's windows/s over the raw measured just before and just after that repeat (real passes);
        // a repeat in which a starved server (CI) inferred nothing has no ratio.
        var measured = test.RepeatSteps.Where(r => r.WindowsPerS is not null).ToList();
        Assert.Equal(measured.Select(r => Math.Round(r.WindowsPerS!.Value / r.RawWindowsPerS!.Value, 4)), result.RepeatRatios!);
        Assert.All(measured, r => Assert.True(r.RawBeforeWindowsPerS > 0 && r.RawAfterWindowsPerS > 0));
        // (That one measurement between two steps serves both, way by way, is asserted in the saturation test: a step's figures
        // are those of the way that did better around it, which need not be the same way for the next step.)
        if (result.RepeatRatios!.Length == 2)
        {
            Assert.Equal(Math.Round(result.RepeatRatios.Average(), 4), result.RepeatMedianRatio!.Value, 4);
            Assert.Contains("(median ", TableOf(result));
        }
        // The search's own figure is untouched by the repeats: still the best sustained search step.
        Assert.Equal(test.SaturationSteps[0].WindowsPerS, result.WindowsPerS);
        Assert.Contains("\"repeat_median_ratio\"", System.Text.Json.JsonSerializer.Serialize(result, LoadTestResult.Json));
    }

    [Fact]
    public void TheMedianOfRepeatsIsTheMiddleRatioAndThePageShowsIt()
    {
        var r = new LoadTestResult { Streams = 64, Fps = 30, Saturated = true, Speed = 2.74, WindowsPerS = 544, RawWindowsPerS = 685,
            Repeats = 3, RepeatsSustained = 2, RepeatRatios = [0.91, 0.78, 0.83] };
        Assert.Equal(0.83, r.RepeatMedianRatio);
        Assert.Contains("; 2 of 3 repeats sustained, median 83.0 % of raw |", ServingResultsPage.Markdown([r], null));
        Assert.Contains("repeats              2 of 3 sustained at ×2.74; of raw around each: 91.0%, 78.0%, 83.0% (median 83.0%)", TableOf(r));
        Assert.Null((r with { RepeatRatios = [] }).RepeatMedianRatio);
        Assert.DoesNotContain("repeats", ServingResultsPage.Markdown([r with { Repeats = null, RepeatsSustained = null, RepeatRatios = null }], null).Split("| streams")[1]);
    }

    [SkippableFact]
    public void TheRawCeilingIsTheBestOfBothWaysToRunPassesAndOfEveryBatchSize()
    {
        var (model, clips) = Inputs();
        var output = new StringWriter();

        var best = RawThroughput.Best(model, clips, TimeSpan.FromMilliseconds(300), output);

        // Real forward passes, so real rates: every line printed is one, and the best is the largest of them.
        var rates = System.Text.RegularExpressions.Regex.Matches(output.ToString(), @"batches of (\d+): (\d+) windows/s")
            .Select(m => (Batch: int.Parse(m.Groups[1].Value), Rate: double.Parse(m.Groups[2].Value))).ToList();
        int ways = new[] { 1, Environment.ProcessorCount }.Distinct().Count();
        Assert.Equal(ways + RawThroughput.BatchSizes.Count - 1, rates.Count);
        Assert.Equal(RawThroughput.BatchSizes.Order(), rates.Select(r => r.Batch).Distinct().Order());
        Assert.All(rates, r => Assert.True(r.Rate > 0));
        Assert.Equal(rates.Max(r => r.Rate), Math.Round(best.WindowsPerS), 0);
        Assert.Contains(best.BatchSize, RawThroughput.BatchSizes);
    }

    private static string TableOf(LoadTestResult r)
    {
        var w = new StringWriter();
        LoadTest.WriteTable(r, 0, 0, w);
        return w.ToString();
    }

    [Fact]
    public void TheCpuSplitSeparatesTheModelFromTheRestOfTheServerAndComparesItWithTheModelAlone()
    {
        var r = new LoadTestResult { WindowsPerS = 420, ServerCpuCores = 1.80, InferenceCpuCores = 1.55, GeneratorCpuCores = 0.12,
            RawWindowsPerS = 540, RawCpuCores = 1.98 };
        // 1.55 of 1.98 cores = 78 %; 420 / 1.55 = 271 windows per core against 540 / 1.98 = 273: 99 %.
        Assert.Equal("model 1.55, rest of server 0.25, load generator 0.12; the model alone 1.98: 78% of its cores in service × 99% of its windows per core",
            LoadTest.CpuSplit(r));
        Assert.Equal(r.WindowsPerS!.Value / r.RawWindowsPerS!.Value, r.ModelCoreShare!.Value * r.ModelEfficiency!.Value, 6);
        // Without the raw figure there is no comparison; without the server's figure, no split at all.
        Assert.Equal("model 1.55, rest of server 0.25, load generator 0.12", LoadTest.CpuSplit(r with { RawCpuCores = null }));
        Assert.Null(LoadTest.CpuSplit(r with { InferenceCpuCores = null }));
        Assert.DoesNotContain("\"model_core_share\"", System.Text.Json.JsonSerializer.Serialize(r, LoadTestResult.Json));
    }

    [Fact]
    public void FineTuningCoresAreTakenOutOfTheRestOfTheServer()
    {
        var training = new LoadTestResult { WindowsPerS = 190, ServerCpuCores = 1.70, InferenceCpuCores = 0.70, FineTuneCpuCores = 0.85,
            GeneratorCpuCores = 0.10, FineTuneSteps = 84 };
        Assert.Equal("model 0.70, fine-tuning 0.85, rest of server 0.15, load generator 0.10", LoadTest.CpuSplit(training));
        Assert.Contains("| 0.70 / 0.15 / 0.10; fine-tuning 0.85 |", ServingResultsPage.Markdown([training with { Streams = 64, Fps = 30 }], null));
        // A server that cannot tell fine-tuning apart: it stays in the rest, as before.
        Assert.Equal("model 0.70, rest of server 1.00, load generator 0.10", LoadTest.CpuSplit(training with { FineTuneCpuCores = null }));
        // A server that did not train shows no fine-tuning figure.
        Assert.Equal("model 0.70, rest of server 1.00, load generator 0.10",
            LoadTest.CpuSplit(training with { FineTuneCpuCores = 0, FineTuneSteps = 0 }));
        Assert.Contains("\"fine_tune_cpu_cores\": 0.85", System.Text.Json.JsonSerializer.Serialize(training, LoadTestResult.Json));
    }

    [Fact]
    public void TheTableSaysWhenTheLoadGeneratorFellBehind()
    {
        var kept = new LoadTestResult { Streams = 4, Fps = 30, FramesPerS = 118, Start = "staggered" };
        Assert.DoesNotContain("fell behind", TableOf(kept));
        Assert.Contains("asked 120: the load generator fell behind", TableOf(kept with { FramesPerS = 90 }));
        // Saturation runs are expected to go as fast as they can, not at the asked rate.
        Assert.DoesNotContain("fell behind", TableOf(kept with { FramesPerS = 90, Saturated = true }));
    }

    [Fact]
    public void ResultsOfTheSameConfigurationReplaceEachOtherAndStartsAreKeptApart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"serving-{Guid.NewGuid():N}.json");
        try
        {
            new LoadTestResult { Streams = 64, Fps = 30, Start = "staggered", P99Ms = 40 }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Start = "lockstep", P99Ms = 170 }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Start = "staggered", P99Ms = 35 }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Speed = 1.96, Start = "staggered", Saturated = true }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Speed = 2.74, Start = "staggered", Saturated = true, WindowsPerS = 650, RawWindowsPerS = 838,
                RawBatchSize = 24, PeakWindowsPerS = 688, PeakSpeed = 3.84, PeakRawWindowsPerS = 718.4 }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Start = "staggered", P99Ms = 31, FineTuneSteps = 412 }.AppendTo(path);
            new LoadTestResult { Streams = 64, Fps = 30, Speed = 9, Start = "staggered", Saturated = true, FramesPerMessage = 4 }.AppendTo(path);

            var list = System.Text.Json.JsonSerializer.Deserialize<List<LoadTestResult>>(File.ReadAllText(path), LoadTestResult.Json)!;
            Assert.Equal(5, list.Count);
            Assert.Equal(35, list.Single(r => r is { Start: "staggered", Saturated: false, WhileTraining: false }).P99Ms);
            Assert.Equal(31, list.Single(r => r.WhileTraining).P99Ms);
            Assert.Equal(170, list.Single(r => r.Start == "lockstep").P99Ms);
            Assert.Equal(2.74, list.Single(r => r is { Saturated: true, FramesPerMessage: 1 }).Speed);
            Assert.Equal(9, list.Single(r => r.FramesPerMessage == 4).Speed);
            // Runs recorded before batched ingest existed sent a message per frame.
            Assert.Equal(1, System.Text.Json.JsonSerializer.Deserialize<LoadTestResult>("""{"streams": 8}""", LoadTestResult.Json)!.FramesPerMessage);
            Assert.Contains("| 64 | 30 | ×1 | lockstep | 1 | no |", ServingResultsPage.Markdown(list, findings: null));
            // A saturated row shows its peak beside the sustained figure, and the raw figure around each.
            Assert.Contains("| 650; peak 688 at ×3.84 | 838 @24; 718 |", ServingResultsPage.Markdown(list, findings: null));
            // Runs recorded before the CPU split have none; later ones show model / rest of server / generator, and the model alone.
            Assert.Contains("| 1.55 / 0.25 / 0.12; 1.98 |", ServingResultsPage.Markdown(
                [.. list, new LoadTestResult { Streams = 64, Fps = 30, Saturated = true, ServerCpuCores = 1.80, InferenceCpuCores = 1.55, GeneratorCpuCores = 0.12, RawCpuCores = 1.98 }],
                findings: null));
            Assert.Contains("| 0.46 | – |", ServingResultsPage.Markdown([new LoadTestResult { Streams = 64, Fps = 30, ServerCpuCores = 0.46 }], findings: null));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (string Model, IReadOnlyList<ReplayClip> Clips) Inputs()
    {
        var model = RealData.ShippedModel;
        Skip.IfNot(File.Exists(model), $"shipped model not found at {model}");
        var paths = Files.Select(f => Path.Combine(RealData.NuclaDirectory, f)).ToArray();
        Skip.IfNot(paths.All(File.Exists), "the N-UCLA sequences are missing");
        return (model, paths.Select(ReplayClip.Load).ToArray());
    }

    /// <summary>An in-process server with its metrics endpoint on a free port, and a client for both.</summary>
    private sealed record TargetServer(InProcessServer Server, AsslConnection Connection, HttpClient Http, PrometheusScraper Scraper) : IAsyncDisposable
    {
        public static async Task<TargetServer> StartAsync(string model, CancellationToken ct)
        {
            int metricsPort = LoopbackPort.Free();
            // Every window answers with an event (the first STARTED, then ONGOING), so latency is sampled on
            // every window whatever the model makes of the clips. With the default hysteresis a few seconds on
            // a slow machine can pass with only windows that emit nothing, and no latency to measure.
            var server = await InProcessServer.StartAsync(model, ct, $"--Server:MetricsPort={metricsPort}",
                "--Events:StartThreshold=0", "--Events:EndThreshold=0", "--Events:UnknownThreshold=0", "--Events:MinStartWindows=1");
            var http = new HttpClient();
            return new TargetServer(server, AsslConnection.Open(server.Address, apiKey: null), http,
                new PrometheusScraper(http, new Uri($"http://127.0.0.1:{metricsPort}/metrics")));
        }

        public async ValueTask DisposeAsync()
        {
            Connection.Dispose();
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }
}
