using System.Numerics;
using System.Text.Json;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using Assl.Tests;

namespace Assl.Model.Tests.Skeletons;

/// <summary>
/// Plausible bodies for property tests: standing poses in canonical metres (person facing the sensor
/// 3 m away, so their left side is at −X as in N-UCLA), random non-rigid motion, random rigid transforms,
/// and the real N-UCLA clip when the data is present.
/// </summary>
internal static class TestSkeletons
{
    private static readonly Vector3 StandOff = new(0.1f, 0.9f, 3.0f);

    /// <summary>Kinect v1 joints relative to HipCenter.</summary>
    private static readonly Vector3[] KinectV1Pose =
    [
        new(0, 0, 0), new(0, 0.06f, 0), new(0, 0.32f, 0.01f), new(0, 0.52f, -0.02f),
        new(-0.17f, 0.28f, 0), new(-0.22f, 0.02f, 0.02f), new(-0.24f, -0.2f, 0), new(-0.25f, -0.28f, -0.01f),
        new(0.17f, 0.28f, 0), new(0.23f, 0.03f, 0.02f), new(0.25f, -0.19f, -0.01f), new(0.26f, -0.27f, -0.02f),
        new(-0.08f, -0.06f, 0), new(-0.09f, -0.5f, 0.02f), new(-0.09f, -0.9f, 0.05f), new(-0.09f, -0.95f, -0.05f),
        new(0.08f, -0.06f, 0), new(0.1f, -0.5f, 0.02f), new(0.1f, -0.9f, 0.04f), new(0.1f, -0.95f, -0.06f),
    ];

    /// <summary>Azure Kinect joints relative to PELVIS, in canonical axes (+Y up, metres).</summary>
    private static readonly Vector3[] AzurePose =
    [
        new(0, 0, 0), new(0, 0.2f, 0.01f), new(0, 0.38f, 0), new(0, 0.55f, 0),
        new(-0.04f, 0.52f, 0), new(-0.17f, 0.5f, 0), new(-0.22f, 0.23f, 0.02f), new(-0.24f, 0, 0),
        new(-0.25f, -0.07f, 0), new(-0.25f, -0.15f, 0), new(-0.22f, -0.08f, -0.03f),
        new(0.04f, 0.52f, 0), new(0.17f, 0.5f, 0), new(0.23f, 0.24f, 0.02f), new(0.25f, 0.01f, 0),
        new(0.26f, -0.06f, 0), new(0.26f, -0.14f, 0), new(0.23f, -0.07f, -0.03f),
        new(-0.09f, -0.02f, 0), new(-0.1f, -0.45f, 0.02f), new(-0.1f, -0.86f, 0.05f), new(-0.1f, -0.9f, -0.08f),
        new(0.09f, -0.02f, 0), new(0.1f, -0.45f, 0.02f), new(0.1f, -0.86f, 0.05f), new(0.1f, -0.9f, -0.08f),
        new(0, 0.72f, 0), new(0, 0.7f, -0.1f), new(-0.03f, 0.74f, -0.08f), new(-0.07f, 0.72f, 0),
        new(0.03f, 0.74f, -0.08f), new(0.07f, 0.72f, 0),
    ];

    /// <summary>The Azure Kinect skeleton with Kinect's convention, to express the same pose in canonical metres.</summary>
    public static JointLayout AzureInCanonicalSpace { get; } = new(
        "azure-kinect-32-canonical", "Azure Kinect joints in canonical space",
        JointLayouts.AzureKinect.JointNames.ToArray(), JointLayouts.AzureKinect.Parents.ToArray(),
        CoordinateConvention.KinectCameraSpace, JointLayouts.AzureKinect.Normalisation);

    /// <summary>A standing pose, <paramref name="frames"/> frames of random smooth non-rigid motion, in canonical metres.</summary>
    public static float[] MovingCanonical(JointLayout layout, int frames, int seed, double amplitude = 0.04)
    {
        var pose = layout.JointCount == 20 ? KinectV1Pose : layout.JointCount == 32 ? AzurePose
            : throw new NotSupportedException($"No test pose for {layout.Id}.");
        var rng = new Random(seed);
        var phase = Enumerable.Range(0, pose.Length * 3).Select(_ => rng.NextDouble() * 2 * Math.PI).ToArray();
        double turn = rng.NextDouble() - 0.5;
        var positions = new float[frames * pose.Length * 3];
        for (int t = 0; t < frames; t++)
        {
            // The whole body turns slowly and drifts, and each joint wobbles (by up to 4 cm by default).
            var rotation = Rotation3.AboutY(turn * t / Math.Max(1, frames));
            var drift = new Vector3(0.01f * t, 0, -0.005f * t);
            for (int j = 0; j < pose.Length; j++)
            {
                int i = (t * pose.Length + j) * 3;
                var wobble = new Vector3(
                    (float)(amplitude * Math.Sin(0.2 * t + phase[j * 3])),
                    (float)(amplitude * Math.Sin(0.2 * t + phase[j * 3 + 1])),
                    (float)(amplitude * Math.Sin(0.2 * t + phase[j * 3 + 2])));
                var p = rotation.Apply(pose[j] + wobble) + StandOff + drift;
                (positions[i], positions[i + 1], positions[i + 2]) = (p.X, p.Y, p.Z);
            }
        }
        return positions;
    }

    public static SkeletonSequence KinectV1Moving(int frames, int seed) =>
        new(JointLayouts.KinectV1, MovingCanonical(JointLayouts.KinectV1, frames, seed));

    /// <summary>The same frames constantly repeated: a body standing still.</summary>
    public static SkeletonSequence KinectV1Still(int frames)
    {
        var one = MovingCanonical(JointLayouts.KinectV1, 1, seed: 0);
        return new SkeletonSequence(JointLayouts.KinectV1, Enumerable.Repeat(one, frames).SelectMany(f => f).ToArray());
    }

    /// <summary>
    /// The rest pose without wobble, moving rigidly: its shoulder line is exactly perpendicular to hip→spine,
    /// so after normalisation the shoulders are exactly horizontal.
    /// </summary>
    public static SkeletonSequence KinectV1Rigid(int frames, int seed) =>
        new(JointLayouts.KinectV1, MovingCanonical(JointLayouts.KinectV1, frames, seed, amplitude: 0));

    /// <summary>Canonical metres → Azure Kinect depth-camera millimetres (+Y down, +X mirrored with it).</summary>
    public static float[] ToAzureDevice(float[] canonical)
    {
        var device = new float[canonical.Length];
        for (int i = 0; i < canonical.Length; i += 3)
        {
            device[i] = -1000f * canonical[i];
            device[i + 1] = -1000f * canonical[i + 1];
            device[i + 2] = 1000f * canonical[i + 2];
        }
        return device;
    }

    /// <summary>A uniformly random proper rotation (from a normalised Gaussian quaternion).</summary>
    public static Rotation3 RandomRotation(Random rng)
    {
        var q = Quaternion.Normalize(new Quaternion(Gaussian(rng), Gaussian(rng), Gaussian(rng), Gaussian(rng)));
        var m = Matrix4x4.CreateFromQuaternion(q);
        // Matrix4x4 multiplies row vectors, so its columns are the rows of the column-vector rotation.
        return new Rotation3(new Vector3(m.M11, m.M21, m.M31), new Vector3(m.M12, m.M22, m.M32), new Vector3(m.M13, m.M23, m.M33));
    }

    public static SkeletonSequence Rigid(SkeletonSequence sequence, Rotation3 rotation, Vector3 translation)
    {
        var positions = sequence.ToArray();
        rotation.Apply(positions);
        for (int i = 0; i < positions.Length; i += 3)
        {
            positions[i] += translation.X;
            positions[i + 1] += translation.Y;
            positions[i + 2] += translation.Z;
        }
        return new SkeletonSequence(sequence.Layout, positions, sequence.TimestampsMicros.ToArray(), sequence.Confidence);
    }

    /// <summary>The first N-UCLA clip (Kinect v1, metres), or a skipped test when the data is absent.</summary>
    public static SkeletonSequence NuclaClip()
    {
        var path = Path.Combine(RealData.NuclaDirectory, "a01_s01_e00_v01.json");
        Skip.IfNot(File.Exists(path), $"{path} not found.");
        using var json = JsonDocument.Parse(File.ReadAllBytes(path));
        var positions = json.RootElement.GetProperty("skeletons").EnumerateArray()
            .SelectMany(frame => frame.EnumerateArray())
            .SelectMany(joint => joint.EnumerateArray().Select(v => v.GetSingle()))
            .ToArray();
        return new SkeletonSequence(JointLayouts.KinectV1, positions);
    }

    public static float MaxAbsDiff(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    public static Vector3 Joint(SkeletonSequence s, int t, int j)
    {
        var p = s.Joint(t, j);
        return new Vector3(p.X, p.Y, p.Z);
    }

    public static float BoneLength(SkeletonSequence s, int t, int child, int parent) =>
        Vector3.Distance(Joint(s, t, child), Joint(s, t, parent));

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
