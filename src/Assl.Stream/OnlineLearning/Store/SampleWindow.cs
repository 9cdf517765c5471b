using Assl.Stream.Windowing;

namespace Assl.Stream.OnlineLearning.Store;

/// <summary>A window as the sample store keeps it.</summary>
/// <param name="CameraId">The camera the body was seen by.</param>
/// <param name="BodyId">The body's tracking id.</param>
/// <param name="StartUs">Grid time of the first frame, camera clock.</param>
/// <param name="EndUs">Grid time of the last frame, camera clock.</param>
/// <param name="LayoutId">The joint layout of <paramref name="Positions"/> (a <c>JointLayouts</c> id).</param>
/// <param name="Positions">T × J × 3, frame-major, in the model's layout; stored as a float32 BLOB, bit-exact.</param>
/// <param name="CapturedUnixUs">Server wall clock (Unix µs) when the window was captured; retention by age uses it.</param>
public sealed record SampleWindow(
    string CameraId,
    ulong BodyId,
    long StartUs,
    long EndUs,
    string LayoutId,
    float[] Positions,
    long CapturedUnixUs)
{
    /// <summary>The store's view of a window from the windowing stage; shares its position array (windows own theirs and never change it).</summary>
    public static SampleWindow From(SkeletonWindow window) =>
        new(window.CameraId, window.BodyId, window.StartUs, window.EndUs, window.Layout.Id, window.Positions, window.ReceivedUnixUs);
}
