using System.Globalization;
using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>
/// Each body's current action, redrawn in place in a terminal (ANSI cursor movement). Bodies whose
/// action ended are shown as idle and dropped after a while, so the table stays small.
/// </summary>
public sealed class LiveActionTable(TextWriter output, TimeSpan keepEnded)
{
    private readonly Dictionary<(string Camera, ulong Body), (ActionEvent Event, DateTime Seen)> _rows = [];
    private int _drawnLines;

    public int Rows => _rows.Count;

    public void Update(ActionEvent e, DateTime now)
    {
        _rows[(e.CameraId, e.BodyId)] = (e, now);
        foreach (var stale in _rows.Where(r => r.Value.Event.Kind is EventKind.Ended or EventKind.Unknown && now - r.Value.Seen > keepEnded)
                     .Select(r => r.Key).ToArray())
            _rows.Remove(stale);
    }

    public void Draw(DateTime now)
    {
        var lines = new List<string>
        {
            $"{"camera",-10} {"body",-20} {"action",-26} {"conf",5}  {"state",-8} {"for",6}",
        };
        foreach (var ((camera, body), (e, seen)) in _rows.OrderBy(r => r.Key.Camera, StringComparer.Ordinal).ThenBy(r => r.Key.Body))
        {
            var action = e.Kind switch
            {
                EventKind.Started or EventKind.Ongoing => e.ClassName,
                EventKind.Ended => $"(ended: {e.ClassName})",
                _ => "(no confident action)",
            };
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{camera,-10} {body,-20} {action,-26} {e.Confidence,5:0.00}  {ReplayReport.Kind(e.Kind),-8} {(now - seen).TotalSeconds,5:0.0}s"));
        }
        // Move up over the previous drawing and clear it, then draw the new one.
        if (_drawnLines > 0) output.Write($"\u001b[{_drawnLines}A\u001b[J");
        foreach (var line in lines) output.WriteLine(line);
        _drawnLines = lines.Count;
        output.Flush();
    }
}
