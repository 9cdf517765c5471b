using System.Diagnostics;
using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>How the streams' first frames are timed.</summary>
public enum StreamStart
{
    /// <summary>Cameras switched on at moments spread evenly over one second, as in a real site.</summary>
    Staggered,

    /// <summary>Every camera starts at once: all bodies complete their windows at the same instants (the worst case for bursts).</summary>
    Lockstep,
}

/// <summary>What `assl loadtest` runs.</summary>
/// <param name="Saturate">
/// Find the most windows/s the service sustains: paced steps of rising replay speed (camera time running faster
/// than wall time: the server windows by timestamp, so a higher frame rate alone adds frames, not windows),
/// until windows are dropped, p99 passes <paramref name="MaxLatencyMs"/> or throughput stops rising.
/// </param>
/// <param name="Speed">Camera time per wall time (1 = live).</param>
/// <param name="RawSeconds">
/// How long each measurement of the model's in-process throughput lasts; 0 skips them. A paced run measures it afterwards; a
/// saturation run measures it before its first step and after every step, and compares each step with the two around it.
/// </param>
/// <param name="SaturationRefinements">
/// Steps that halve (geometrically) the gap between the last sustained step and the first that was not, once the
/// ×1.4 steps have found it: without them the figure can sit up to 40 % below what the server sustains; after two it
/// still can by 9 % (a graph-model run sustained ×4.55 and failed at ×4.95), after three by 4 %.
/// </param>
/// <param name="Repeats">
/// With <paramref name="Saturate"/>: steps run again at the sustained speed once the search has found it, each compared with
/// the raw measurements around it. On a host whose speed alone moves by a third within minutes, one step's ratio to raw
/// cannot tell 80 % from 88 %; the median of several can say where the service sits.
/// </param>
public sealed record LoadTestSettings(int Streams, double Fps, TimeSpan Duration, TimeSpan Warmup, bool Saturate, TimeSpan RawSeconds,
    StreamStart Start = StreamStart.Staggered, double MaxLatencyMs = 1000, int SaturationSteps = 10, double Speed = 1, int SaturationRefinements = 3,
    int FramesPerMessage = 1, int Repeats = 0)
{
    /// <summary>Refuses settings no run can use, naming the flag: `assl loadtest` calls it before connecting, every run again.</summary>
    public void ThrowIfInvalid()
    {
        if (Streams < 1) throw new ArgumentException($"--streams must be at least 1, got {Streams}.");
        if (!(Fps > 0)) throw new ArgumentException($"--fps must be positive, got {Fps}.");
        if (Duration <= TimeSpan.Zero) throw new ArgumentException("--duration must be positive.");
        if (!(MaxLatencyMs > 0)) throw new ArgumentException($"--max-latency-ms must be positive, got {MaxLatencyMs}.");
        if (!(Speed > 0)) throw new ArgumentException($"--speed must be positive, got {Speed}.");
        if (FramesPerMessage < 1) throw new ArgumentException($"--frames-per-message must be at least 1, got {FramesPerMessage}.");
        if (Repeats < 0) throw new ArgumentException($"--repeats must be 0 or more, got {Repeats}.");
        if (Repeats > 0 && !Saturate) throw new ArgumentException("--repeats repeats a saturation run's sustained step: it needs --saturate.");
    }
}

/// <summary>
/// N camera streams looping real sequences against a server. The measured interval starts after the
/// warm-up: frames and latencies are counted client-side, windows inferred/dropped, memory and CPU
/// are read from the server's Prometheus endpoint at both ends of it.
/// </summary>
public sealed class LoadTest(AsslConnection connection, PrometheusScraper? metrics, TextWriter output)
{
    private readonly LoadTestObserver _observer = new();
    private double _gridFramesPerSecond;

    /// <summary>Frames or bodies the server rejected during the whole run (should be 0).</summary>
    public long Rejections => _observer.Rejections;

    /// <summary>Events received during the whole run.</summary>
    public long Events => _observer.Events;

    /// <summary>Every ×<see cref="SaturationStepFactor"/> step a saturation search ran, in order (the last one is where it stopped).</summary>
    public IReadOnlyList<LoadTestResult> SaturationSteps => _steps;

    /// <summary>The steps run afterwards between the last sustained speed and the first that was not.</summary>
    public IReadOnlyList<LoadTestResult> RefinementSteps => _refinements;

    /// <summary>The steps run again at the sustained speed after the search (<see cref="LoadTestSettings.Repeats"/>).</summary>
    public IReadOnlyList<LoadTestResult> RepeatSteps => _repeats;

    private readonly List<LoadTestResult> _steps = [];
    private readonly List<LoadTestResult> _refinements = [];
    private readonly List<LoadTestResult> _repeats = [];

    /// <summary>Speed factor between two saturation steps.</summary>
    public const double SaturationStepFactor = 1.4;

    public async Task<LoadTestResult> RunAsync(IReadOnlyList<ReplayClip> clips, LoadTestSettings settings, string modelPath, CancellationToken ct)
    {
        settings.ThrowIfInvalid();
        if (clips.Count == 0) throw new ArgumentException("No sequences to replay.");
        _gridFramesPerSecond = (await connection.DescribeAsync(ct)).FramesPerSecond;

        if (settings.Saturate)
        {
            if (settings.RawSeconds <= TimeSpan.Zero) return await SaturateAsync(clips, settings, null, ct);
            // The way of running passes and the batch size are chosen first; that way, and the server's own by default, are then
            // measured again around every step, so that each step is compared with the model on the machine as it was then.
            output.WriteLine($"choosing the model's raw ceiling: {settings.RawSeconds.TotalSeconds:0.#} s per way of running passes and batch size …");
            var ceiling = RawThroughput.Best(modelPath, clips, settings.RawSeconds, output);
            var ways = new[] { (ceiling.Workers, ceiling.BatchSize), RawThroughput.ServerDefaultWay }.Distinct().ToArray();
            var probes = new List<RawProbe>();
            try
            {
                foreach (var (workers, batchSize) in ways) probes.Add(new RawProbe(modelPath, clips, workers, batchSize));
                return await SaturateAsync(clips, settings, probes, ct);
            }
            finally
            {
                foreach (var probe in probes) probe.Dispose();
            }
        }

        var result = await RunStepAsync(clips, settings, ct);
        if (settings.RawSeconds > TimeSpan.Zero)
        {
            output.WriteLine($"measuring the model's raw batched throughput in-process for {settings.RawSeconds.TotalSeconds:0.#} s …");
            var raw = RawThroughput.Best(modelPath, clips, settings.RawSeconds, output);
            result = result with { RawWindowsPerS = Math.Round(raw.WindowsPerS, 1), RawBatchSize = raw.BatchSize };
        }
        return result;
    }

    /// <summary>
    /// Paced steps of rising replay speed (flooding would starve inference of the CPU the client and Kestrel
    /// take for frames that are then dropped): the best step that dropped nothing and kept p99 within
    /// bounds is the sustained throughput.
    /// </summary>
    /// <param name="raw">Measured before the first step and after every step (none: no raw figures).</param>
    private async Task<LoadTestResult> SaturateAsync(IReadOnlyList<ReplayClip> clips, LoadTestSettings settings, IReadOnlyList<RawProbe>? raw, CancellationToken ct)
    {
        var around = raw is { Count: > 0 } ? new RawAroundSteps(raw, metrics, output, settings.RawSeconds) : null;
        if (around is not null) await around.StartAsync(ct);
        LoadTestResult? best = null;
        double? failedSpeed = null;
        double speed = settings.Speed;
        for (int step = 0; step < settings.SaturationSteps; step++, speed *= SaturationStepFactor)
        {
            var (r, sustained) = await RunSaturationStepAsync(clips, settings, speed, $"step {step + 1}", around, ct);
            _steps.Add(r);
            if (!sustained)
            {
                failedSpeed = r.Speed;
                break;
            }
            bool rising = best is null || r.WindowsPerS > best.WindowsPerS * 1.03;
            if (best is null || r.WindowsPerS > best.WindowsPerS) best = r;
            if (!rising) break;
        }
        if (best is null)
            throw new InvalidOperationException($"Even ×{settings.Speed} live over {settings.Streams} streams was not sustained: lower --streams.");

        // The limit lies between the best sustained speed and the one that failed: bisect it (geometrically).
        double low = best.Speed;
        for (int i = 0; failedSpeed is { } high && i < settings.SaturationRefinements; i++)
        {
            var (r, sustained) = await RunSaturationStepAsync(clips, settings, Math.Sqrt(low * high), $"refine {i + 1}", around, ct);
            _refinements.Add(r);
            if (!sustained)
            {
                failedSpeed = r.Speed;
                continue;
            }
            low = r.Speed;
            if (r.WindowsPerS > best.WindowsPerS) best = r;
        }
        // The service's peak: the most windows/s any step ran, sustained or not. Just past the knee the queue grows but every
        // window is still inferred, so that step shows what the server can do; further past it, ingesting frames whose windows
        // are then dropped takes CPU from inference (×4.5 live: 509 windows/s, 68 % of raw), so the peak sits at the knee.
        var peak = _steps.Concat(_refinements).Where(r => r.WindowsPerS is not null).MaxBy(r => r.WindowsPerS!.Value) ?? best;
        best = best with { Saturated = true, PeakWindowsPerS = peak.WindowsPerS, PeakSpeed = peak.Speed, PeakRawWindowsPerS = peak.RawWindowsPerS };
        if (settings.Repeats == 0) return best;

        // The best step was picked from several, so its own ratio is the luckiest one; the repeats were not picked.
        int sustainedRepeats = 0;
        for (int i = 0; i < settings.Repeats; i++)
        {
            var (r, sustained) = await RunSaturationStepAsync(clips, settings, best.Speed, $"repeat {i + 1}", around, ct);
            _repeats.Add(r);
            if (sustained) sustainedRepeats++;
        }
        var ratios = _repeats.Where(r => r.WindowsPerS is not null && r.RawWindowsPerS > 0)
            .Select(r => Math.Round(r.WindowsPerS!.Value / r.RawWindowsPerS!.Value, 4)).ToArray();
        return best with { RepeatRatios = around is null ? null : ratios, RepeatsSustained = sustainedRepeats, Repeats = settings.Repeats };
    }

    private async Task<(LoadTestResult Result, bool Sustained)> RunSaturationStepAsync(
        IReadOnlyList<ReplayClip> clips, LoadTestSettings settings, double speed, string label, RawAroundSteps? around, CancellationToken ct)
    {
        long rejectionsBefore = Rejections;
        var r = await RunStepAsync(clips, settings with { Speed = Math.Round(speed, 2) }, ct);
        bool sustained = r.DroppedWindows is null or 0 && r.P99Ms is { } p99 && p99 <= settings.MaxLatencyMs && Rejections == rejectionsBefore;
        string comparison = "";
        if (around is not null) (r, comparison) = await around.CompareAsync(r, ct);
        output.WriteLine($"  {label}: ×{r.Speed:0.##} live ({r.FramesPerS / settings.Streams:0} frames/s per stream) → {r.WindowsPerS:0} windows/s{comparison}, p99 {r.P99Ms:0} ms, " +
                         $"{r.DroppedWindows:0} dropped{(sustained ? "" : " (not sustained)")}");
        if (CpuSplit(r) is { } split) output.WriteLine($"      cores: {split}");
        return (r, sustained);
    }

    private async Task<LoadTestResult> RunStepAsync(IReadOnlyList<ReplayClip> clips, LoadTestSettings settings, CancellationToken ct)
    {
        if (metrics is not null) await ServerIdleWait.WaitAsync(metrics, output, ServerIdleWait.DefaultLimit, TimeSpan.FromMilliseconds(250), ct);
        var observer = _observer;
        observer.Latency.Clear();
        // Clips follow each other without a gap and on the same body: one person per camera, always in
        // view, doing one action after another. Windows then flow at fps / stride per stream, the steady
        // load a busy camera puts on the server (N-UCLA clips alone are barely longer than one window).
        var options = new ReplayOptions(Speed: settings.Speed, Loop: true, FramesPerSecond: settings.Fps, GapUs: 0, NewBodyPerPlay: false,
            GridFramesPerSecond: _gridFramesPerSecond, FramesPerMessage: settings.FramesPerMessage);
        var replayers = Enumerable.Range(0, settings.Streams)
            .Select(s => new CameraReplayer(connection.Client, $"load-{s + 1}", Rotate(clips, s * 7),
                options with
                {
                    BodyIdOffset = (ulong)(s + 1) * 1000,
                    StartDelay = settings.Start == StreamStart.Staggered ? TimeSpan.FromSeconds((double)s / settings.Streams) : TimeSpan.Zero,
                }, observer))
            .ToArray();

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var running = replayers.Select(r => r.RunAsync(stopSending.Token, abort.Token)).ToArray();
        var all = Task.WhenAll(running);
        try
        {
            output.WriteLine($"{settings.Streams} streams at {settings.Fps} fps ×{settings.Speed:0.##} ({settings.Start.ToString().ToLowerInvariant()} start): warming up {settings.Warmup.TotalSeconds:0.#} s …");
            await DelayUnlessFailed(all, settings.Warmup, ct);

            var before = metrics is null ? null : await metrics.TryScrapeAsync(ct);
            if (metrics is not null && before is null) output.WriteLine($"note: {metrics.Url} unreachable: server-side figures are left empty.");
            long framesBefore = replayers.Sum(r => r.FramesSent);
            var generatorCpuBefore = Environment.CpuUsage.TotalTime;
            observer.Measuring = true;
            var clock = Stopwatch.StartNew();
            output.WriteLine($"measuring {settings.Duration.TotalSeconds:0.#} s …");
            await DelayUnlessFailed(all, settings.Duration, ct);
            observer.Measuring = false;
            long framesAfter = replayers.Sum(r => r.FramesSent);
            double seconds = clock.Elapsed.TotalSeconds;
            var generatorCpu = Environment.CpuUsage.TotalTime - generatorCpuBefore;
            var after = before is null ? null : await metrics!.TryScrapeAsync(ct);

            // Stop, let the server answer what is in flight for a moment, then cut the calls.
            stopSending.Cancel();
            abort.CancelAfter(TimeSpan.FromSeconds(3));
            await all;

            double Delta(string name) => before is null || after is null ? double.NaN : after.Sum(name) - before.Sum(name);
            const double Mb = 1024.0 * 1024.0;
            return new LoadTestResult
            {
                Streams = settings.Streams,
                Fps = settings.Fps,
                Seconds = Math.Round(seconds, 2),
                FramesPerS = Math.Round((framesAfter - framesBefore) / seconds, 1),
                WindowsPerS = LoadTestResult.Finite(Delta("assl_windows_inferred_total") / seconds),
                P50Ms = LoadTestResult.Finite(observer.Latency.Percentile(50), 2),
                P95Ms = LoadTestResult.Finite(observer.Latency.Percentile(95), 2),
                P99Ms = LoadTestResult.Finite(observer.Latency.Percentile(99), 2),
                DroppedWindows = LoadTestResult.Finite(Delta("assl_windows_dropped_total"), 0),
                RssMbStart = LoadTestResult.Finite((before?.Sum("process_working_set_bytes") ?? double.NaN) / Mb),
                RssMbEnd = LoadTestResult.Finite((after?.Sum("process_working_set_bytes") ?? double.NaN) / Mb),
                Start = settings.Start.ToString().ToLowerInvariant(),
                Speed = settings.Speed,
                FramesPerMessage = settings.FramesPerMessage,
                ServerCpuCores = LoadTestResult.Finite(Delta("process_cpu_seconds_total") / seconds, 2),
                InferenceCpuCores = LoadTestResult.Finite(Delta("assl_inference_cpu_seconds_total") / seconds, 2),
                FineTuneCpuCores = LoadTestResult.Finite(Delta("assl_finetune_cpu_seconds_total") / seconds, 2),
                GeneratorCpuCores = Math.Round(generatorCpu.TotalSeconds / seconds, 2),
                FineTuneSteps = LoadTestResult.Finite(Delta("assl_finetune_steps_total"), 0),
                LatencySamples = observer.Latency.Count,
                MeasuredUtc = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            stopSending.Cancel();
            abort.Cancel();
            try { await all; } catch (Exception) when (all.IsFaulted || all.IsCanceled) { /* the failure was already reported or is being */ }
        }
    }

    /// <summary>Below this share of the frames asked for, the table says that the client, not the server, set the pace.</summary>
    public const double LaggingShare = 0.9;

    public static void WriteTable(LoadTestResult r, long events, long rejections, TextWriter output)
    {
        static string F(double? v, string format = "0.0") => v is { } x ? x.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "n/a";
        output.WriteLine();
        output.WriteLine($"  streams              {r.Streams} at {r.Fps} fps ×{r.Speed:0.##} live, {r.Start} start{(r.Saturated ? " (the most sustained)" : "")}" +
                         (r.FramesPerMessage > 1 ? $", {r.FramesPerMessage} frames per message (IngestBatched)" : ""));
        output.WriteLine($"  measured             {r.Seconds:0.0} s");
        double asked = r.Streams * r.Fps * r.Speed;
        bool behind = !r.Saturated && r.FramesPerS < LaggingShare * asked;
        output.WriteLine($"  frames/s sent        {F(r.FramesPerS)}{(behind ? $"   (asked {asked:0}: the load generator fell behind, figures understate that load)" : "")}");
        string rawWhen = r.RawBeforeWindowsPerS is { } before && r.RawAfterWindowsPerS is { } after
            ? $", mean of {F(before, "0")} before and {F(after, "0")} after the step"
            : "";
        output.WriteLine($"  windows/s inferred   {F(r.WindowsPerS)}   (model alone, at its best batch{(r.RawBatchSize is { } b ? $" of {b}" : "")}: {F(r.RawWindowsPerS)}{rawWhen})");
        if (r.PeakWindowsPerS is { } peak)
            output.WriteLine($"  peak windows/s       {F(peak)}   at ×{r.PeakSpeed:0.##} live, the most any step ran (model alone around that step: {F(r.PeakRawWindowsPerS)})");
        if (r.Repeats is > 0)
            output.WriteLine($"  repeats              {r.RepeatsSustained} of {r.Repeats} sustained at ×{r.Speed:0.##}" +
                             (r.RepeatMedianRatio is { } median
                                 ? $"; of raw around each: {string.Join(", ", r.RepeatRatios!.Select(x => x.ToString("0.0%", System.Globalization.CultureInfo.InvariantCulture)))} (median {median.ToString("0.0%", System.Globalization.CultureInfo.InvariantCulture)})"
                                 : ""));
        output.WriteLine($"  frame→event latency  p50 {F(r.P50Ms, "0.00")} ms  p95 {F(r.P95Ms, "0.00")} ms  p99 {F(r.P99Ms, "0.00")} ms  ({r.LatencySamples} events)");
        output.WriteLine($"  windows dropped      {F(r.DroppedWindows, "0")}");
        output.WriteLine($"  server RSS           {F(r.RssMbStart)} MB → {F(r.RssMbEnd)} MB");
        output.WriteLine($"  server CPU           {F(r.ServerCpuCores, "0.00")} cores");
        if (CpuSplit(r) is { } split) output.WriteLine($"  cores                {split}");
        if (r.WhileTraining) output.WriteLine($"  fine-tuning          {F(r.FineTuneSteps, "0")} steps while measured");
        output.WriteLine($"  events, rejections   {events}, {rejections} (whole run)");
    }

    /// <summary>
    /// Where a run's cores went: the model's (the server's inference threads), fine-tuning's (when it trained), the rest of the server's, the load generator's;
    /// beside the model's cores alone when raw was measured, with the two factors the ratio to raw splits into. Null without
    /// the server's inference CPU (an older server, a platform that cannot measure it, no metrics).
    /// </summary>
    public static string? CpuSplit(LoadTestResult r)
    {
        if (r.InferenceCpuCores is not { } model || r.RestOfServerCpuCores is not { } rest) return null;
        var training = r.FineTuneCpuCores is { } fineTune && (fineTune > 0 || r.WhileTraining) ? $", fine-tuning {fineTune:0.00}" : "";
        var s = $"model {model:0.00}{training}, rest of server {rest:0.00}, load generator {r.GeneratorCpuCores:0.00}";
        if (r.RawCpuCores is { } alone && r.ModelCoreShare is { } share && r.ModelEfficiency is { } efficiency)
            s += $"; the model alone {alone:0.00}: {share:0%} of its cores in service × {efficiency:0%} of its windows per core";
        return s;
    }

    /// <summary>Waits, but returns at once (with its exception) if the streams fail meanwhile.</summary>
    private static async Task DelayUnlessFailed(Task streams, TimeSpan delay, CancellationToken ct)
    {
        if (delay <= TimeSpan.Zero) return;
        var finished = await Task.WhenAny(streams, Task.Delay(delay, ct));
        await finished;
    }

    private static IReadOnlyList<ReplayClip> Rotate(IReadOnlyList<ReplayClip> clips, int by) =>
        [.. clips.Skip(by % clips.Count), .. clips.Take(by % clips.Count)];
}
