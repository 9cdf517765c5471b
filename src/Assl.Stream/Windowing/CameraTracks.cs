namespace Assl.Stream.Windowing;

/// <summary>The live bodies of one camera. The instance is also the lock that guards them.</summary>
internal sealed class CameraTracks
{
    public Dictionary<ulong, BodyTrack> Bodies { get; } = [];

    /// <summary>Set under the lock when the camera is removed, so a racing Add retries with a fresh entry.</summary>
    public bool Closed { get; set; }
}
