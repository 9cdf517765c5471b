using System.Globalization;
using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>
/// What a replay produced: prints each event and rejection as it arrives (when asked) and tallies
/// them for the summary: events by kind, rejections by reason, and per clip the classes its bodies
/// were announced as (STARTED) against the file's label.
/// </summary>
public sealed class ReplayReport(TextWriter output, bool printEvents, IReadOnlyList<string> classNames) : IReplayObserver
{
    private const int RejectionLinesPerReason = 10;
    private readonly object _gate = new();
    private readonly Dictionary<EventKind, int> _events = [];
    private readonly Dictionary<RejectReason, int> _rejections = [];
    private readonly List<ClipPlay> _plays = [];
    private readonly HashSet<ClipPlay> _finished = [];
    private readonly Dictionary<ClipPlay, List<int>> _started = [];

    public long FramesSent { get; set; }

    public int Events
    {
        get { lock (_gate) return _events.Values.Sum(); }
    }

    public int EventsOf(EventKind kind)
    {
        lock (_gate) return _events.GetValueOrDefault(kind);
    }

    public int Rejections
    {
        get { lock (_gate) return _rejections.Values.Sum(); }
    }

    /// <summary>Plays of labelled clips, and how many of them had a STARTED event of their true class.</summary>
    public (int Labelled, int Correct) Accuracy
    {
        get
        {
            lock (_gate)
            {
                var labelled = _plays.Where(p => p.Clip.ClassIndex is not null && _finished.Contains(p)).ToArray();
                return (labelled.Length, labelled.Count(p => _started.TryGetValue(p, out var c) && c.Contains(p.Clip.ClassIndex!.Value)));
            }
        }
    }

    public void OnClipStarted(ClipPlay play)
    {
        lock (_gate) _plays.Add(play);
    }

    public void OnClipFinished(ClipPlay play)
    {
        lock (_gate) _finished.Add(play);
    }

    public void OnEvent(ReplayedEvent replayed)
    {
        var e = replayed.Event;
        lock (_gate)
        {
            _events[e.Kind] = _events.GetValueOrDefault(e.Kind) + 1;
            if (e.Kind == EventKind.Started && replayed.Play is { } play)
            {
                if (!_started.TryGetValue(play, out var classes)) _started[play] = classes = [];
                classes.Add(e.ClassIndex);
            }
            if (printEvents) output.WriteLine(FormatEvent(e, replayed.Play));
        }
    }

    public void OnRejection(string cameraId, FrameRejection rejection)
    {
        lock (_gate)
        {
            int seen = _rejections.GetValueOrDefault(rejection.Reason) + 1;
            _rejections[rejection.Reason] = seen;
            if (seen <= RejectionLinesPerReason)
                output.WriteLine($"{Now()}  {cameraId,-8} REJECTED {rejection.Reason} at {rejection.TimestampUs} µs: {rejection.Message}");
            else if (seen == RejectionLinesPerReason + 1)
                output.WriteLine($"{Now()}  {cameraId,-8} (further {rejection.Reason} rejections are only counted)");
        }
    }

    /// <summary>One line: time, camera, body, kind, class, confidence.</summary>
    public static string FormatEvent(ActionEvent e, ClipPlay? play)
    {
        var body = play is null ? e.BodyId.ToString(CultureInfo.InvariantCulture) : $"{play.Clip.Name}#{play.TrackingIdOf(e.BodyId)}";
        var cls = e.Kind == EventKind.Unknown ? "(no confident class)" : e.ClassName;
        return string.Create(CultureInfo.InvariantCulture, $"{Now()}  {e.CameraId,-8} {body,-22} {Kind(e.Kind),-8} {cls,-24} {e.Confidence,5:0.00}");
    }

    public static string Kind(EventKind kind) => kind switch
    {
        EventKind.Started => "STARTED",
        EventKind.Ongoing => "ONGOING",
        EventKind.Ended => "ENDED",
        EventKind.Unknown => "UNKNOWN",
        _ => kind.ToString().ToUpperInvariant(),
    };

    public void WriteSummary()
    {
        lock (_gate)
        {
            output.WriteLine();
            output.WriteLine($"frames sent: {FramesSent}");
            output.WriteLine($"events: {_events.Values.Sum()}" + (_events.Count == 0 ? "" :
                "  (" + string.Join(", ", _events.OrderBy(k => k.Key).Select(k => $"{Kind(k.Key)} {k.Value}")) + ")"));
            output.WriteLine($"rejections: {_rejections.Values.Sum()}" + (_rejections.Count == 0 ? "" :
                "  (" + string.Join(", ", _rejections.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")) + ")"));
            if (_plays.Count == 0) return;
            output.WriteLine("per file (STARTED class vs label):");
            foreach (var play in _plays.Take(200))
            {
                var started = _started.TryGetValue(play, out var c) ? string.Join(", ", c.Distinct().Select(NameOf)) : "(no STARTED)";
                var label = !_finished.Contains(play) ? "(stopped before its end)"
                    : play.Clip.ClassIndex is { } truth ? $"label {NameOf(truth)}  {(c is not null && c.Contains(truth) ? "ok" : "MISS")}"
                    : "unlabelled";
                output.WriteLine($"  {play.CameraId,-8} {play.Clip.Name,-18} {play.Clip.FrameCount,4} frames  started: {started,-28} {label}");
            }
            if (_plays.Count > 200) output.WriteLine($"  … and {_plays.Count - 200} more plays");
            var (labelled, correct) = Accuracy;
            if (labelled > 0) output.WriteLine($"STARTED with the true class: {correct}/{labelled}");
        }
    }

    private string NameOf(int classIndex) =>
        classIndex >= 0 && classIndex < classNames.Count ? classNames[classIndex] : classIndex.ToString(CultureInfo.InvariantCulture);

    private static string Now() => DateTime.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
