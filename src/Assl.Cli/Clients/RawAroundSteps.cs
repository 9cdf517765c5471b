namespace Assl.Cli.Clients;

/// <summary>
/// The model's raw throughput, measured with the server idle before a saturation search's first step and after every
/// step, so that each step is compared with the two measurements around it: this host's speed drifts by more than the
/// target's margin within minutes, and a ceiling measured once would judge later steps against another machine.
/// </summary>
/// <param name="probes">The ways of running the model to measure (the best found, and the server's own).</param>
internal sealed class RawAroundSteps(IReadOnlyList<RawProbe> probes, PrometheusScraper? metrics, TextWriter output, TimeSpan duration)
{
    private RawMeasurement[]? _previous;

    /// <summary>Takes the measurement the first step is compared with.</summary>
    public async Task StartAsync(CancellationToken ct) => _previous = await MeasureAsync(ct);

    /// <summary>
    /// Measures after a step (which becomes the next step's "before") and returns the step with its ceiling: the better
    /// way around it, by the mean of its two measurements; and, for the step's line, every way's figures.
    /// </summary>
    public async Task<(LoadTestResult Step, string Comparison)> CompareAsync(LoadTestResult step, CancellationToken ct)
    {
        var before = _previous ?? throw new InvalidOperationException("StartAsync measures the first 'before'.");
        var after = await MeasureAsync(ct);
        _previous = after;
        int best = Enumerable.Range(0, after.Length).MaxBy(k => before[k].WindowsPerS + after[k].WindowsPerS);
        step = step with
        {
            RawWindowsPerS = Math.Round((before[best].WindowsPerS + after[best].WindowsPerS) / 2, 1),
            RawBatchSize = probes[best].BatchSize,
            RawBeforeWindowsPerS = Math.Round(before[best].WindowsPerS, 1),
            RawAfterWindowsPerS = Math.Round(after[best].WindowsPerS, 1),
            RawCpuCores = Math.Round((before[best].CpuCores + after[best].CpuCores) / 2, 2),
        };
        var ways = probes.Select((p, k) =>
            $"{p.Workers}×{RawThroughput.ServerBudget(p.Workers)} thread(s) @{p.BatchSize}: {before[k].WindowsPerS:0} before, {after[k].WindowsPerS:0} after");
        return (step, $" = {step.WindowsPerS / step.RawWindowsPerS:0.0%} of raw ({string.Join("; ", ways)})");
    }

    /// <summary>Each probe's figure with the server idle: a step that overloaded it leaves windows queued, which would share the cores with the probe.</summary>
    private async Task<RawMeasurement[]> MeasureAsync(CancellationToken ct)
    {
        if (metrics is not null) await ServerIdleWait.WaitAsync(metrics, output, ServerIdleWait.DefaultLimit, TimeSpan.FromMilliseconds(250), ct);
        // On a thread of its own: a probe blocks for its whole duration.
        return await Task.Factory.StartNew(() => probes.Select(p => p.Measure(duration)).ToArray(), ct,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }
}
