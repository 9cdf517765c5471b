namespace Assl.Stream.Events;

/// <summary>
/// Turns one body's stream of per-window class probabilities into action events with smoothing and
/// hysteresis, so a single noisy window neither starts nor ends an action.
/// </summary>
/// <remarks>
/// One instance per (camera, body); not thread-safe (windows of one body are classified in order).
/// For each window, with options α, S = StartThreshold, E = EndThreshold, U = UnknownThreshold:
/// <list type="number">
/// <item>Smooth: s = p on the first window, then s = α·p + (1 − α)·s.</item>
/// <item>While class a is active: count consecutive windows with s[a] &lt; E (reset to 0 when s[a] ≥ E).
/// When the count reaches MinEndWindows emit Ended(a) and fall through to rule 3 for this same window;
/// otherwise emit Ongoing(a) with confidence s[a] (including windows below E that have not ended it yet).
/// Other classes cannot start while a is active, however high they score.</item>
/// <item>With no active class, take the top class c = argmax s (lowest index on ties). If s[c] ≥ S
/// it extends the start streak when c is the streak's class, else starts a new streak of 1; if s[c] &lt; S
/// the streak is cleared. When the streak reaches MinStartWindows emit Started(c) (no Ongoing in the
/// same window). Otherwise, if s[c] &lt; U emit Unknown once on entering that state (class −1, confidence
/// s[c]); a window with s[c] ≥ U, or a start, re-arms it.</item>
/// <item><see cref="Close"/> (the body left) emits Ended for the active class, with the last window's times.</item>
/// </list>
/// Every event carries the top-k smoothed classes of its window.
/// </remarks>
public sealed class ActionStateMachine
{
    private readonly IReadOnlyList<string> _classNames;
    private readonly EventOptions _options;
    private readonly float[] _smoothed;
    private bool _hasHistory;

    private int _active = -1;
    private int _below;
    private int _candidate = -1;
    private int _streak;
    private bool _inUnknown;

    private long _lastStartUs, _lastEndUs, _lastReceivedUnixUs;
    private string _lastModelVersion = "";

    public ActionStateMachine(string cameraId, ulong bodyId, IReadOnlyList<string> classNames, EventOptions options)
    {
        ArgumentNullException.ThrowIfNull(cameraId);
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(options);
        if (classNames.Count == 0) throw new ArgumentException("A model has at least one class.", nameof(classNames));
        CameraId = cameraId;
        BodyId = bodyId;
        _classNames = classNames;
        _options = options;
        _smoothed = new float[classNames.Count];
    }

    public string CameraId { get; }

    public ulong BodyId { get; }

    /// <summary>The active class, or -1 when none is.</summary>
    public int ActiveClass => _active;

    /// <summary>The smoothed probabilities after the last window.</summary>
    public IReadOnlyList<float> Smoothed => _smoothed;

    public IReadOnlyList<ActionEventRecord> OnWindow(
        ReadOnlySpan<float> probabilities, long windowStartUs, long windowEndUs, string modelVersion, long receivedUnixUs)
    {
        if (probabilities.Length != _smoothed.Length)
            throw new ArgumentException($"{probabilities.Length} probabilities for {_smoothed.Length} classes.", nameof(probabilities));
        ArgumentNullException.ThrowIfNull(modelVersion);
        Smooth(probabilities);
        (_lastStartUs, _lastEndUs, _lastModelVersion, _lastReceivedUnixUs) = (windowStartUs, windowEndUs, modelVersion, receivedUnixUs);

        var events = new List<ActionEventRecord>(2);
        if (_active >= 0)
        {
            _below = _smoothed[_active] < _options.EndThreshold ? _below + 1 : 0;
            if (_below < _options.MinEndWindows)
            {
                events.Add(Event(ActionEventKind.Ongoing, _active));
                return events;
            }
            events.Add(Event(ActionEventKind.Ended, _active));
            _active = -1;
            _below = 0;
        }

        int top = TopClass();
        float score = _smoothed[top];
        if (score >= _options.StartThreshold)
        {
            _streak = top == _candidate ? _streak + 1 : 1;
            _candidate = top;
        }
        else
        {
            _streak = 0;
            _candidate = -1;
        }

        if (_streak >= _options.MinStartWindows)
        {
            _active = top;
            _streak = 0;
            _candidate = -1;
            _inUnknown = false;
            events.Add(Event(ActionEventKind.Started, top));
        }
        else if (score < _options.UnknownThreshold)
        {
            if (!_inUnknown) events.Add(Event(ActionEventKind.Unknown, top));
            _inUnknown = true;
        }
        else
        {
            _inUnknown = false;
        }
        return events;
    }

    /// <summary>The body left: ends the active action, if any. The machine can be reused afterwards.</summary>
    public IReadOnlyList<ActionEventRecord> Close()
    {
        if (_active < 0) return [];
        var ended = Event(ActionEventKind.Ended, _active);
        _active = -1;
        _below = 0;
        return [ended];
    }

    private void Smooth(ReadOnlySpan<float> p)
    {
        if (!_hasHistory)
        {
            p.CopyTo(_smoothed);
            _hasHistory = true;
            return;
        }
        float a = (float)_options.SmoothingAlpha;
        for (int i = 0; i < _smoothed.Length; i++)
            _smoothed[i] = a * p[i] + (1 - a) * _smoothed[i];
    }

    private int TopClass()
    {
        int top = 0;
        for (int i = 1; i < _smoothed.Length; i++)
            if (_smoothed[i] > _smoothed[top]) top = i;
        return top;
    }

    private ActionEventRecord Event(ActionEventKind kind, int classIndex)
    {
        bool unknown = kind == ActionEventKind.Unknown;
        return new ActionEventRecord(
            CameraId, BodyId, kind,
            unknown ? -1 : classIndex,
            unknown ? "" : _classNames[classIndex],
            _smoothed[classIndex],
            TopK(),
            _lastStartUs, _lastEndUs, _lastModelVersion, _lastReceivedUnixUs);
    }

    private ScoredClass[] TopK()
    {
        int k = Math.Min(_options.TopK, _smoothed.Length);
        // Stable sort on the index order gives "ties by lower index"; class counts are small (≤ a few hundred).
        var order = Enumerable.Range(0, _smoothed.Length).OrderByDescending(i => _smoothed[i]).Take(k);
        return order.Select(i => new ScoredClass(i, _classNames[i], _smoothed[i])).ToArray();
    }
}
