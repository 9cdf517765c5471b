using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>What `assl replay` (and `assl demo`) plays: which files, on how many cameras, how fast.</summary>
public sealed record ReplaySettings(int Cameras = 1, double Speed = 1.0, bool Loop = false, int? Limit = null)
{
    /// <summary>How long the last replies may take after a stop (Ctrl-C) before the calls are cut.</summary>
    public TimeSpan DrainAfterStop { get; init; } = TimeSpan.FromSeconds(1.5);
}

/// <summary>
/// Plays recorded files into a server as live cameras: files go round-robin to cam-1..cam-N, every
/// camera streams in parallel on its own Ingest call, and one report collects what comes back.
/// </summary>
public static class ReplayRunner
{
    public static IReadOnlyList<ReplayClip> LoadClips(IEnumerable<string> inputs, int? limit)
    {
        var files = ReplayClip.Expand(inputs);
        if (limit is { } n) files = files.Take(Math.Max(n, 0)).ToArray();
        return files.Select(ReplayClip.Load).ToArray();
    }

    public static async Task<ReplayReport> RunAsync(AsslConnection connection, ModelDescription model, IReadOnlyList<ReplayClip> clips,
        ReplaySettings settings, TextWriter output, bool printEvents, CancellationToken stop)
    {
        if (settings.Cameras < 1) throw new ArgumentException($"--cameras must be at least 1, got {settings.Cameras}.");
        var report = new ReplayReport(output, printEvents, model.ClassNames);
        var options = new ReplayOptions(settings.Speed, settings.Loop, GridFramesPerSecond: model.FramesPerSecond);
        int cameras = Math.Min(settings.Cameras, clips.Count);
        var replayers = Enumerable.Range(0, cameras)
            .Select(c => new CameraReplayer(connection.Client, $"cam-{c + 1}",
                clips.Where((_, i) => i % cameras == c).ToArray(), options, report))
            .ToArray();

        // A stop (Ctrl-C) ends sending at once, then gives the server a moment to answer what it has
        // before the calls are cut, so the summary still counts the last events.
        using var abort = new CancellationTokenSource();
        await using var _ = stop.Register(() => abort.CancelAfter(settings.DrainAfterStop));
        var frames = await Task.WhenAll(replayers.Select(r => r.RunAsync(stop, abort.Token)));
        report.FramesSent = frames.Sum();
        return report;
    }
}
