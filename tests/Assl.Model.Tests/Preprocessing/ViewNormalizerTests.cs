using System.Numerics;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class ViewNormalizerTests
{
    private const float Tolerance = 1e-4f;

    public static TheoryData<int> Seeds => [1, 2, 3, 17, 42, 1234];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void KinectOutputIsInvariantToRigidMotionOfTheInput(int seed)
    {
        var rng = new Random(seed);
        var sequence = KinectV1Moving(frames: 40, seed);
        var moved = Rigid(sequence, RandomRotation(rng), RandomTranslation(rng, metres: 5));

        var a = ViewNormalizer.Default.Normalize(sequence);
        var b = ViewNormalizer.Default.Normalize(moved);

        Assert.True(MaxAbsDiff(a.Positions, b.Positions) < Tolerance, $"diff {MaxAbsDiff(a.Positions, b.Positions)}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AzureOutputIsInvariantToRigidMotionInDeviceSpace(int seed)
    {
        var rng = new Random(seed);
        var device = new SkeletonSequence(JointLayouts.AzureKinect,
            ToAzureDevice(MovingCanonical(JointLayouts.AzureKinect, frames: 30, seed)));
        var moved = Rigid(device, RandomRotation(rng), RandomTranslation(rng, metres: 4000));

        var a = ViewNormalizer.Default.Normalize(device);
        var b = ViewNormalizer.Default.Normalize(moved);

        Assert.True(MaxAbsDiff(a.Positions, b.Positions) < Tolerance, $"diff {MaxAbsDiff(a.Positions, b.Positions)}");
    }

    [SkippableTheory]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void RealClipIsInvariantToRigidMotion(int seed)
    {
        var rng = new Random(seed);
        var clip = NuclaClip();
        var moved = Rigid(clip, RandomRotation(rng), RandomTranslation(rng, metres: 5));

        var diff = MaxAbsDiff(ViewNormalizer.Default.Normalize(clip).Positions, ViewNormalizer.Default.Normalize(moved).Positions);

        Assert.True(diff < Tolerance, $"diff {diff}");
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FirstFrameDefinesOriginAndAxes(int seed)
    {
        var rng = new Random(seed);
        var sequence = Rigid(KinectV1Moving(frames: 20, seed), RandomRotation(rng), RandomTranslation(rng, metres: 3));

        var normalised = new ViewNormalizer(axisFrames: 1).Normalize(sequence);

        AssertFrameZeroAligned(normalised, tolerance: 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ShouldersPerpendicularToTheSpineBecomeExactlyHorizontal(int seed)
    {
        var rng = new Random(seed);
        var sequence = Rigid(KinectV1Rigid(frames: 20, seed), RandomRotation(rng), RandomTranslation(rng, metres: 3));

        // One axis frame: the rest pose turns over the clip, so a 5-frame mean would yaw frame 0 slightly.
        var normalised = new ViewNormalizer(axisFrames: 1).Normalize(sequence);

        AssertFrameZeroAligned(normalised, tolerance: 1e-5f);
        AssertShouldersHorizontal(normalised, tolerance: 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AveragedAxesStillAlignAStillBody(int seed)
    {
        var rng = new Random(seed);
        var still = Rigid(KinectV1Still(frames: 10), RandomRotation(rng), RandomTranslation(rng, metres: 3));

        AssertFrameZeroAligned(ViewNormalizer.Default.Normalize(still), tolerance: 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AveragedAxesStayCloseToTheFirstFrame(int seed)
    {
        var normalised = ViewNormalizer.Default.Normalize(KinectV1Moving(frames: 30, seed));
        var n = JointLayouts.KinectV1.Normalisation;

        var up = Vector3.Normalize(Joint(normalised, 0, n.Spine) - Joint(normalised, 0, n.Hip));

        // Averaging over 5 frames of a ±4 cm wobble tilts the axes only slightly.
        Assert.True(up.Y > 0.9f, $"up {up}");
        Assert.Equal(Vector3.Zero, Joint(normalised, 0, n.Centre));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void AzureMillimetresYDownMatchTheSamePoseInCanonicalMetres(int seed)
    {
        var canonical = MovingCanonical(JointLayouts.AzureKinect, frames: 25, seed);
        var inMetres = new SkeletonSequence(AzureInCanonicalSpace, canonical);
        var inDevice = new SkeletonSequence(JointLayouts.AzureKinect, ToAzureDevice(canonical));

        var a = ViewNormalizer.Default.Normalize(inMetres);
        var b = ViewNormalizer.Default.Normalize(inDevice);

        Assert.True(MaxAbsDiff(a.Positions, b.Positions) < Tolerance, $"diff {MaxAbsDiff(a.Positions, b.Positions)}");
        Assert.Same(JointLayouts.AzureKinect, b.Layout);
        int head = JointLayouts.AzureKinect.IndexOf("HEAD"), foot = JointLayouts.AzureKinect.IndexOf("FOOT_LEFT");
        Assert.True(Joint(b, 0, head).Y > 0.3f && Joint(b, 0, foot).Y < -0.5f, "head above and feet below the navel, in metres");
    }

    [Fact]
    public void CanonicalConversionHappensEvenWithoutCentringOrRotation()
    {
        var canonical = MovingCanonical(JointLayouts.AzureKinect, frames: 3, seed: 1);
        var device = new SkeletonSequence(JointLayouts.AzureKinect, ToAzureDevice(canonical));

        var converted = new ViewNormalizer(centre: false, rotate: false).Normalize(device);

        Assert.True(MaxAbsDiff(converted.Positions, canonical) < 1e-6f);
    }

    [Fact]
    public void KeepsLayoutTimestampsAndConfidence()
    {
        var source = KinectV1Moving(frames: 4, seed: 3);
        var confidence = Enumerable.Range(0, 4 * 20).Select(i => (i % 3) / 2f).ToArray();
        long[] timestamps = [10, 20, 35, 50];
        var sequence = new SkeletonSequence(JointLayouts.KinectV1, source.ToArray(), timestamps, confidence);

        var normalised = ViewNormalizer.Default.Normalize(sequence);

        Assert.Same(JointLayouts.KinectV1, normalised.Layout);
        Assert.Equal(timestamps, normalised.TimestampsMicros.ToArray());
        Assert.Equal(confidence, normalised.Confidence);
        Assert.NotSame(confidence, normalised.Confidence);
    }

    [Fact]
    public void AllZeroInputGivesZerosWithoutNaN()
    {
        foreach (var layout in JointLayouts.All)
        {
            var zeros = new SkeletonSequence(layout, new float[5 * layout.JointCount * 3]);

            var normalised = ViewNormalizer.Default.Normalize(zeros);

            Assert.All(normalised.ToArray(), v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void CoincidentAxisJointsFallBackToNoRotation()
    {
        var positions = KinectV1Still(frames: 3).ToArray();
        var n = JointLayouts.KinectV1.Normalisation;
        // Every joint at one point except the shoulders: hip→spine has no direction in any frame.
        for (int i = 0; i < positions.Length; i += 3)
        {
            int joint = i / 3 % 20;
            if (joint == n.LeftShoulder || joint == n.RightShoulder) continue;
            (positions[i], positions[i + 1], positions[i + 2]) = (0.5f, 1f, 3f);
        }
        var sequence = new SkeletonSequence(JointLayouts.KinectV1, positions);

        var normalised = ViewNormalizer.Default.Normalize(sequence);

        Assert.All(normalised.ToArray(), v => Assert.True(float.IsFinite(v)));
        var expected = Joint(sequence, 0, n.LeftShoulder) - Joint(sequence, 0, n.Centre);
        Assert.True(Vector3.Distance(expected, Joint(normalised, 0, n.LeftShoulder)) < 1e-6f, "identity rotation");
    }

    [Fact]
    public void ShouldersAlongTheSpineAreDegenerate()
    {
        var positions = KinectV1Still(frames: 2).ToArray();
        var n = JointLayouts.KinectV1.Normalisation;
        // Shoulders placed on the hip→spine line: the across axis has no horizontal part.
        SetJoint(positions, 0, n.LeftShoulder, Joint(KinectV1Still(1), 0, n.Hip));
        SetJoint(positions, 0, n.RightShoulder, Joint(KinectV1Still(1), 0, n.Spine));
        SetJoint(positions, 1, n.LeftShoulder, Joint(KinectV1Still(1), 0, n.Hip));
        SetJoint(positions, 1, n.RightShoulder, Joint(KinectV1Still(1), 0, n.Spine));

        var normalised = ViewNormalizer.Default.Normalize(new SkeletonSequence(JointLayouts.KinectV1, positions));

        Assert.All(normalised.ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void DegenerateLeadingFramesAreSkippedForAxesAndCentre()
    {
        var good = KinectV1Moving(frames: 6, seed: 9).ToArray();
        var withLostFrame = new float[good.Length + 60];
        good.CopyTo(withLostFrame, 60);

        var normalised = new ViewNormalizer(axisFrames: 1).Normalize(new SkeletonSequence(JointLayouts.KinectV1, withLostFrame));
        var reference = new ViewNormalizer(axisFrames: 1).Normalize(new SkeletonSequence(JointLayouts.KinectV1, good));

        Assert.True(MaxAbsDiff(normalised.Positions[60..], reference.Positions) < 1e-5f);
    }

    internal static void AssertFrameZeroAligned(SkeletonSequence normalised, float tolerance)
    {
        var n = normalised.Layout.Normalisation;
        Assert.True(Joint(normalised, 0, n.Centre).Length() < tolerance, "centre of frame 0 at the origin");

        var up = Joint(normalised, 0, n.Spine) - Joint(normalised, 0, n.Hip);
        Assert.True(up.Y > 0 && Math.Abs(up.X) < tolerance && Math.Abs(up.Z) < tolerance, $"hip→spine {up} along +Y");

        // Gram-Schmidt keeps hip→spine exactly vertical, so the shoulder line keeps its real tilt against the
        // spine (its Y is the projection on hip→spine) but lies in the XY plane, pointing to +X.
        var across = Joint(normalised, 0, n.RightShoulder) - Joint(normalised, 0, n.LeftShoulder);
        float tilt = Vector3.Dot(across, Vector3.Normalize(up));
        Assert.True(across.X > 0 && Math.Abs(across.Y - tilt) < tolerance && Math.Abs(across.Z) < tolerance, $"shoulders {across} along +X");
    }

    internal static void AssertShouldersHorizontal(SkeletonSequence normalised, float tolerance)
    {
        var n = normalised.Layout.Normalisation;
        var across = Joint(normalised, 0, n.RightShoulder) - Joint(normalised, 0, n.LeftShoulder);
        Assert.True(across.X > 0 && Math.Abs(across.Y) < tolerance && Math.Abs(across.Z) < tolerance, $"shoulders {across} along +X");
    }

    private static Vector3 RandomTranslation(Random rng, float metres) =>
        new((float)(rng.NextDouble() - 0.5) * 2 * metres, (float)(rng.NextDouble() - 0.5) * 2 * metres, (float)(rng.NextDouble() - 0.5) * 2 * metres);

    private static void SetJoint(float[] positions, int t, int j, Vector3 p)
    {
        int i = (t * 20 + j) * 3;
        (positions[i], positions[i + 1], positions[i + 2]) = (p.X, p.Y, p.Z);
    }
}
