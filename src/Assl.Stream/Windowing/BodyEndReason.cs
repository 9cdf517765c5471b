namespace Assl.Stream.Windowing;

public enum BodyEndReason
{
    /// <summary>Not seen for <see cref="WindowingOptions.BodyTimeoutMs"/>.</summary>
    TimedOut,

    /// <summary>Its camera was closed (the stream that fed it ended).</summary>
    CameraClosed,
}
