using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>What `assl replay` (and `assl demo`) plays: which files, on how many cameras, how fast.</summary>
/// <param name="StretchToFrames">Clips shorter than this many 30 Hz frames are played slowed to span it (see <see cref="ReplayOptions.StretchToFrames"/>); null plays every clip as recorded.</param>
public sealed record ReplaySettings(int Cameras = 1, double Speed = 1.0, bool Loop = false, int? Limit = null, int? StretchToFrames = null)
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

    /// <summary>Refuses settings no replay against this model can use, naming the flag.</summary>
    public static void ThrowIfInvalid(ReplaySettings settings, ModelDescription model)
    {
        if (settings.Cameras < 1) throw new ArgumentException($"--cameras must be at least 1, got {settings.Cameras}.");
        if (settings.StretchToFrames is { } stretch && stretch < WindowAt30Hz(model))
            throw new ArgumentException($"--stretch-to {stretch} is shorter than the model's window ({WindowAt30Hz(model)} frames at 30 Hz): clips stretched to it would still complete no window.");
    }

    /// <summary>The model's window in 30 Hz frames, the unit of <see cref="ReplaySettings.StretchToFrames"/> (the model's own grid may run at another rate).</summary>
    public static int WindowAt30Hz(ModelDescription model) =>
        model.FramesPerSecond > 0 ? (int)Math.Ceiling(model.WindowFrames * 30.0 / model.FramesPerSecond - 1e-9) : model.WindowFrames;

    /// <summary>
    /// Says, before a replay, how many clips are too short for the model's window to ever fill, played as recorded: such a
    /// clip gets no event at all, which looks like a broken server unless it is said (N-UCLA's clips: median 31 frames).
    /// </summary>
    /// <returns>The note, or null when every clip fills a window (or clips are stretched).</returns>
    public static string? ShortClipsNote(IReadOnlyList<ReplayClip> clips, int windowFrames, int? stretchToFrames)
    {
        if (stretchToFrames is not null) return null;
        int shorter = clips.Count(c => c.LongestBodyFrames < windowFrames);
        if (shorter == 0) return null;
        return $"note: {shorter} of {clips.Count} file(s) have fewer frames than the model's {windowFrames}-frame window: played as recorded they " +
               $"complete no window and get no event. --stretch-to {SuggestedStretch(windowFrames)} plays short clips slowed to span that many frames.";
    }

    /// <summary>A window and a second to spare: enough windows (one per stride) for smoothing and hysteresis to start an action.</summary>
    public static int SuggestedStretch(int windowFrames) => windowFrames + 30;

    public static async Task<ReplayReport> RunAsync(AsslConnection connection, ModelDescription model, IReadOnlyList<ReplayClip> clips,
        ReplaySettings settings, TextWriter output, bool printEvents, CancellationToken stop)
    {
        ThrowIfInvalid(settings, model);
        var report = new ReplayReport(output, printEvents, model.ClassNames);
        var options = new ReplayOptions(settings.Speed, settings.Loop, GridFramesPerSecond: model.FramesPerSecond, StretchToFrames: settings.StretchToFrames);
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
