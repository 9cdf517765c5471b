using Assl.Model.Skeletons;

namespace Assl.Stream.Windowing;

/// <summary>One body's last T grid frames, ready for the model.</summary>
/// <param name="CameraId">The camera the body was seen by.</param>
/// <param name="BodyId">The body's tracking id.</param>
/// <param name="StartUs">Grid time of the first frame, camera clock.</param>
/// <param name="EndUs">Grid time of the last frame, camera clock.</param>
/// <param name="Positions">T × J × 3, frame-major, in <paramref name="Layout"/>'s own convention and not normalised; owned by this record.</param>
/// <param name="Layout">The model's layout.</param>
/// <param name="ReceivedUnixUs">Server wall clock (Unix µs) when the newest frame of the window arrived.</param>
public sealed record SkeletonWindow(
    string CameraId,
    ulong BodyId,
    long StartUs,
    long EndUs,
    float[] Positions,
    JointLayout Layout,
    long ReceivedUnixUs)
{
    public int FrameCount => Positions.Length / (Layout.JointCount * 3);

    /// <summary>The window as a sequence (timestamps spread evenly from start to end), e.g. for preprocessing.</summary>
    public SkeletonSequence ToSequence()
    {
        int frames = FrameCount;
        var timestamps = new long[frames];
        for (int i = 0; i < frames; i++)
            timestamps[i] = frames == 1 ? StartUs : StartUs + (EndUs - StartUs) * i / (frames - 1);
        return new SkeletonSequence(Layout, Positions, timestamps);
    }
}
