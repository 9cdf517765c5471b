using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>A clip being played on a camera: which file, which play, and the wire ids its bodies got.</summary>
public sealed record ClipPlay(string CameraId, ReplayClip Clip, int Play, IReadOnlyList<ulong> WireIds)
{
    /// <summary>The recording's own id of the body sent as <paramref name="wireId"/>.</summary>
    public string TrackingIdOf(ulong wireId)
    {
        for (int i = 0; i < WireIds.Count; i++)
            if (WireIds[i] == wireId) return Clip.Bodies[i].BodyId;
        return wireId.ToString();
    }
}

/// <summary>An event as the replay client saw it.</summary>
/// <param name="Play">The clip the body belongs to, or null if the id is not one this client sent.</param>
/// <param name="LatencyMs">Frame→event latency for STARTED/ONGOING, else null.</param>
public sealed record ReplayedEvent(ActionEvent Event, ClipPlay? Play, double? LatencyMs);

/// <summary>Receives what camera replayers send and get back. Called from many threads at once.</summary>
public interface IReplayObserver
{
    void OnClipStarted(ClipPlay play) { }

    /// <summary>Every frame of the play was sent (not called for a play cut short by a stop).</summary>
    void OnClipFinished(ClipPlay play) { }

    void OnEvent(ReplayedEvent replayed);

    void OnRejection(string cameraId, FrameRejection rejection);
}
