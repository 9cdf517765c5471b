using System.Collections.Concurrent;
using System.Diagnostics;
using Assl.Cli.Clients;
using Assl.Proto.V1;

namespace Assl.Cli.Experiments;

/// <summary>
/// Watches the replayed cameras: frame→event latency with the moment it was measured (so latency
/// while the loop trains can be told apart), and which clip (true class) every wire body id played.
/// </summary>
public sealed class ExperimentObserver : IReplayObserver
{
    private readonly ConcurrentQueue<(long Ticks, double Ms)> _latencies = new();
    private readonly ConcurrentDictionary<(string Camera, ulong Body), (int Class, string Clip)> _truth = new();
    private long _events;
    private long _rejections;

    public long Events => Interlocked.Read(ref _events);
    public long Rejections => Interlocked.Read(ref _rejections);

    public void OnClipStarted(ClipPlay play)
    {
        if (play.Clip.ClassIndex is not { } truth) return;
        foreach (var id in play.WireIds) _truth[(play.CameraId, id)] = (truth, play.Clip.Name);
    }

    public void OnEvent(ReplayedEvent replayed)
    {
        Interlocked.Increment(ref _events);
        if (replayed.LatencyMs is { } ms) _latencies.Enqueue((Stopwatch.GetTimestamp(), ms));
    }

    public void OnRejection(string cameraId, FrameRejection rejection) => Interlocked.Increment(ref _rejections);

    /// <summary>The true class of the clip a body played, if known.</summary>
    public int? TruthOf(string cameraId, ulong bodyId) => _truth.TryGetValue((cameraId, bodyId), out var c) ? c.Class : null;

    /// <summary>
    /// Writes which clip and true class every wire body played, as TSV (camera, body, class index, clip), so that a replay of the
    /// phase's store can swap the pseudo-labels for the truth (<see cref="StoredTruth"/>): how far the loop gets
    /// with perfect labels on the same windows.
    /// </summary>
    public void WriteTruth(string path)
    {
        var lines = _truth.OrderBy(t => t.Key.Camera, StringComparer.Ordinal).ThenBy(t => t.Key.Body)
            .Select(t => $"{t.Key.Camera}\t{t.Key.Body}\t{t.Value.Class}\t{t.Value.Clip}");
        File.WriteAllLines(path, ["camera\tbody\tclass\tclip", .. lines]);
    }

    /// <summary>Latencies measured inside any of <paramref name="intervals"/> (Stopwatch ticks), or all when null.</summary>
    public double[] Latencies(IReadOnlyList<(long Start, long End)>? intervals = null) => _latencies
        .Where(l => intervals is null || intervals.Any(i => l.Ticks >= i.Start && l.Ticks <= i.End))
        .Select(l => l.Ms).ToArray();
}
