namespace Assl.Model.Skeletons;

/// <summary>Length unit a device reports joint positions in.</summary>
public enum LengthUnit
{
    Metres,
    Millimetres,
}

/// <summary>
/// How a device's camera space relates to Assl's canonical space: the Kinect camera space
/// (right-handed, metres, +Y up, +Z from the sensor towards the scene, +X to the sensor's left).
/// </summary>
/// <remarks>
/// Azure Kinect reports millimetres with +Y down and +X to the sensor's right: that is the canonical
/// frame turned 180° about Z, so converting flips X and Y together and stays a proper rotation (no mirror).
/// </remarks>
public sealed record CoordinateConvention(LengthUnit Unit, bool YUp)
{
    public static CoordinateConvention KinectCameraSpace { get; } = new(LengthUnit.Metres, YUp: true);
    public static CoordinateConvention AzureKinectDepthCamera { get; } = new(LengthUnit.Millimetres, YUp: false);

    /// <summary>Factor that turns this convention's unit into metres.</summary>
    public float MetresPerUnit => Unit == LengthUnit.Millimetres ? 0.001f : 1f;

    /// <summary>Per-axis factors (x, y, z) that map a point in this convention to canonical metres.</summary>
    public (float X, float Y, float Z) ToCanonical
    {
        get
        {
            float s = MetresPerUnit;
            return YUp ? (s, s, s) : (-s, -s, s);
        }
    }

    /// <summary>Per-axis factors that map canonical metres to this convention.</summary>
    public (float X, float Y, float Z) FromCanonical
    {
        get
        {
            // Not 1 / ToCanonical: 1 / 0.001f is 999.99994, which would shrink every millimetre value.
            float s = Unit == LengthUnit.Millimetres ? 1000f : 1f;
            return YUp ? (s, s, s) : (-s, -s, s);
        }
    }
}
