using Assl.Model.Skeletons;
using Assl.Stream.Ingest;

namespace Assl.Stream.Tests.Windowing;

/// <summary>Builds observations whose values encode (frame, joint, axis), so window contents can be checked exactly.</summary>
internal static class Observations
{
    public const double PeriodUs = 1e6 / 30;

    public static long GridUs(int frame) => (long)Math.Round(frame * PeriodUs);

    /// <summary>Value of (frame, joint, axis): frame·1000 + joint·10 + axis, exact in float for small frames.</summary>
    public static float Value(double frame, int joint, int axis) => (float)(frame * 1000 + joint * 10 + axis);

    public static float[] Positions(JointLayout layout, double frame)
    {
        var p = new float[layout.JointCount * 3];
        for (int j = 0; j < layout.JointCount; j++)
            for (int a = 0; a < 3; a++)
                p[j * 3 + a] = Value(frame, j, a);
        return p;
    }

    public static BodyObservation At(long timestampUs, float[] positions, JointLayout? layout = null,
        string camera = "cam", ulong body = 1, long receivedUnixUs = 0) =>
        new(camera, body, layout ?? JointLayouts.KinectV1, timestampUs, positions, null, receivedUnixUs);

    /// <summary>Frame <paramref name="frame"/> of a Kinect v1 body at its exact grid time.</summary>
    public static BodyObservation Frame(int frame, string camera = "cam", ulong body = 1, long offsetUs = 0) =>
        At(GridUs(frame) + offsetUs, Positions(JointLayouts.KinectV1, frame), camera: camera, body: body, receivedUnixUs: 1_000_000 + frame);
}
