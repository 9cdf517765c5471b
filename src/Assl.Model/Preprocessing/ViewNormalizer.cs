using System.Numerics;
using Assl.Model.Skeletons;

namespace Assl.Model.Preprocessing;

/// <summary>
/// Puts a sequence into a body-centred view: canonical metres with +Y up, the centre joint (spine) of the
/// first frame at the origin, hip→spine along +Y and the left→right shoulder line along +X.
/// </summary>
/// <remarks>
/// <para>The output keeps the input's <see cref="JointLayout"/>, timestamps and confidence, but its positions
/// are in Assl's canonical space (metres, +Y up), whatever the layout's own <see cref="CoordinateConvention"/>
/// says: every normalised sequence is canonical, so Azure Kinect and Kinect clips become comparable.</para>
/// <para>One translation and one rotation are applied to the whole sequence, so motion relative to the
/// first frame (walking, turning) survives. The translation is the centre joint of the first frame that
/// has a tracked body (not all joints zero): a leading "body lost" frame must not leave the clip at its
/// camera position. The rotation comes from the mean body axes of the first <see cref="AxisFrames"/>
/// frames whose axes are well defined, because a single Kinect frame jitters by a few centimetres and a
/// tracking-start frame may have coincident joints; with AxisFrames = 1 it is exactly the first good
/// frame. When no frame has usable axes the rotation is the identity, never NaN.</para>
/// </remarks>
public sealed class ViewNormalizer
{
    public const int DefaultAxisFrames = 5;

    // 0.1 mm: shorter hip→spine or shoulder vectors are tracking failures, not bodies.
    private const float MinAxisLength = 1e-4f;

    public ViewNormalizer(bool centre = true, bool rotate = true, int axisFrames = DefaultAxisFrames)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(axisFrames, 1);
        Centre = centre;
        Rotate = rotate;
        AxisFrames = axisFrames;
    }

    public static ViewNormalizer Default { get; } = new();

    /// <summary>Whether to move the first frame's centre joint to the origin.</summary>
    public bool Centre { get; }

    /// <summary>Whether to rotate the body axes onto the canonical axes.</summary>
    public bool Rotate { get; }

    /// <summary>How many well-defined leading frames are averaged to estimate the body axes.</summary>
    public int AxisFrames { get; }

    public SkeletonSequence Normalize(SkeletonSequence sequence)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var layout = sequence.Layout;
        var positions = sequence.ToArray();
        ToCanonical(positions, layout.Convention);
        if (Centre)
            Translate(positions, -CentreOf(positions, layout));
        if (Rotate)
            BodyRotation(positions, layout.JointCount, layout.Normalisation, AxisFrames).Apply(positions);
        return new SkeletonSequence(layout, positions, sequence.TimestampsMicros.ToArray(), (float[]?)sequence.Confidence?.Clone());
    }

    /// <summary>
    /// The rotation that maps the body axes (mean over the first <paramref name="axisFrames"/> usable frames)
    /// onto the canonical axes; identity when no frame has usable axes.
    /// </summary>
    public static Rotation3 BodyRotation(ReadOnlySpan<float> positions, int jointCount, NormalisationJoints joints, int axisFrames)
    {
        int frames = positions.Length / (jointCount * 3);
        Vector3 upSum = Vector3.Zero, acrossSum = Vector3.Zero;
        int used = 0;
        for (int t = 0; t < frames && used < axisFrames; t++)
        {
            if (!TryFrameAxes(positions, jointCount, t, joints, out var up, out var across)) continue;
            upSum += up;
            acrossSum += across;
            used++;
        }
        return used > 0 && TryGramSchmidt(upSum, acrossSum, out var y, out var x)
            ? new Rotation3(x, y, Vector3.Cross(x, y))
            : Rotation3.Identity;
    }

    private static bool TryFrameAxes(ReadOnlySpan<float> positions, int jointCount, int t, NormalisationJoints n,
        out Vector3 up, out Vector3 across)
    {
        var spine = Point(positions, jointCount, t, n.Spine);
        var hip = Point(positions, jointCount, t, n.Hip);
        var right = Point(positions, jointCount, t, n.RightShoulder);
        var left = Point(positions, jointCount, t, n.LeftShoulder);
        // Each frame contributes unit vectors, so a frame with a longer torso does not dominate the mean.
        return TryGramSchmidt(spine - hip, right - left, out up, out across);
    }

    private static bool TryGramSchmidt(Vector3 upRaw, Vector3 acrossRaw, out Vector3 up, out Vector3 across)
    {
        up = across = default;
        float upLength = upRaw.Length();
        if (!(upLength >= MinAxisLength)) return false;
        up = upRaw / upLength;
        var perpendicular = acrossRaw - Vector3.Dot(acrossRaw, up) * up;
        float acrossLength = perpendicular.Length();
        if (!(acrossLength >= MinAxisLength)) return false;
        across = perpendicular / acrossLength;
        return true;
    }

    private static Vector3 CentreOf(ReadOnlySpan<float> positions, JointLayout layout)
    {
        int perFrame = layout.JointCount * 3, frames = positions.Length / perFrame;
        int reference = 0;
        while (reference < frames && IsAllZero(positions.Slice(reference * perFrame, perFrame)))
            reference++;
        return reference == frames ? Vector3.Zero : Point(positions, layout.JointCount, reference, layout.Normalisation.Centre);
    }

    // Not Span.ContainsAnyExcept(0f): converting an untracked Azure frame yields -0, which must count as zero.
    private static bool IsAllZero(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (v != 0f) return false;
        }
        return true;
    }

    private static void ToCanonical(Span<float> xyz, CoordinateConvention convention)
    {
        var (fx, fy, fz) = convention.ToCanonical;
        if (fx == 1f && fy == 1f && fz == 1f) return;
        for (int i = 0; i < xyz.Length; i += 3)
        {
            xyz[i] *= fx;
            xyz[i + 1] *= fy;
            xyz[i + 2] *= fz;
        }
    }

    private static void Translate(Span<float> xyz, Vector3 offset)
    {
        for (int i = 0; i < xyz.Length; i += 3)
        {
            xyz[i] += offset.X;
            xyz[i + 1] += offset.Y;
            xyz[i + 2] += offset.Z;
        }
    }

    private static Vector3 Point(ReadOnlySpan<float> positions, int jointCount, int t, int j)
    {
        int i = (t * jointCount + j) * 3;
        return new Vector3(positions[i], positions[i + 1], positions[i + 2]);
    }
}
