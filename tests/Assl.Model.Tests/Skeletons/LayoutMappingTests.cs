using System.Numerics;
using Assl.Model.Skeletons;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Skeletons;

public sealed class LayoutMappingTests
{
    [Fact]
    public void RicherLayoutsMapOntoPoorerOnes()
    {
        Assert.True(LayoutMapping.Exists(JointLayouts.AzureKinect, JointLayouts.KinectV2));
        Assert.True(LayoutMapping.Exists(JointLayouts.KinectV2, JointLayouts.KinectV1));
        Assert.True(LayoutMapping.Exists(JointLayouts.AzureKinect, JointLayouts.KinectV1));
        Assert.All(JointLayouts.All, l => Assert.True(LayoutMapping.Exists(l, l)));
        Assert.False(LayoutMapping.Exists(JointLayouts.KinectV1, JointLayouts.KinectV2));
        Assert.False(LayoutMapping.Exists(JointLayouts.KinectV2, JointLayouts.AzureKinect));
    }

    [Fact]
    public void PoorerToRicherIsNotSupported()
    {
        var error = Assert.Throws<NotSupportedException>(() => LayoutMapping.Between(JointLayouts.KinectV1, JointLayouts.KinectV2));
        Assert.Contains("kinect-v1-20", error.Message);
        Assert.Throws<NotSupportedException>(() => LayoutMapping.Between(JointLayouts.KinectV2, JointLayouts.AzureKinect));
    }

    [Theory]
    [InlineData("azure-kinect-32", "kinect-v2-25")]
    [InlineData("kinect-v2-25", "kinect-v1-20")]
    [InlineData("azure-kinect-32", "kinect-v1-20")]
    public void EveryTargetJointIsAnAverageOfSourceJoints(string source, string target)
    {
        var mapping = LayoutMapping.Between(JointLayouts.Get(source), JointLayouts.Get(target));

        for (int t = 0; t < mapping.Target.JointCount; t++)
        {
            float sum = Enumerable.Range(0, mapping.Source.JointCount).Sum(s => mapping.Weight(t, s));
            Assert.Equal(1f, sum, 6);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AzureToKinectV1TurnsMillimetresYDownIntoMetresYUp(int seed)
    {
        var canonical = MovingCanonical(JointLayouts.AzureKinect, frames: 4, seed);
        var device = new SkeletonSequence(JointLayouts.AzureKinect, ToAzureDevice(canonical));
        var azureInMetres = new SkeletonSequence(AzureInCanonicalSpace, canonical);

        var v1 = LayoutMapping.Between(JointLayouts.AzureKinect, JointLayouts.KinectV1).Apply(device);

        Assert.Same(JointLayouts.KinectV1, v1.Layout);
        Assert.Equal(4, v1.FrameCount);
        int head = JointLayouts.KinectV1.IndexOf("Head"), hip = JointLayouts.KinectV1.IndexOf("HipCenter");
        for (int t = 0; t < 4; t++)
        {
            Assert.InRange(v1.Joint(t, head).Y - v1.Joint(t, hip).Y, 0.5f, 1f);
            AssertClose(Joint(azureInMetres, t, 26), Joint(v1, t, head));
            AssertClose(Joint(azureInMetres, t, 0), Joint(v1, t, hip));
            AssertClose(Joint(azureInMetres, t, 8), Joint(v1, t, JointLayouts.KinectV1.IndexOf("HandLeft")));
            var spine = (Joint(azureInMetres, t, 1) + Joint(azureInMetres, t, 2)) / 2;
            AssertClose(spine, Joint(v1, t, JointLayouts.KinectV1.IndexOf("Spine")));
        }
    }

    [Fact]
    public void IdentityMappingIsANoOp()
    {
        var sequence = KinectV1Moving(frames: 5, seed: 1);
        var mapping = LayoutMapping.Between(JointLayouts.KinectV1, JointLayouts.KinectV1);

        var mapped = mapping.Apply(sequence);

        Assert.Equal(sequence.ToArray(), mapped.ToArray());
        Assert.Equal(sequence.TimestampsMicros.ToArray(), mapped.TimestampsMicros.ToArray());
        Assert.Equal(1f, mapping.Weight(3, 3));
        Assert.Equal(0f, mapping.Weight(3, 4));
    }

    [Fact]
    public void ConfidenceIsTheMinimumOfTheContributingJoints()
    {
        var canonical = MovingCanonical(JointLayouts.AzureKinect, frames: 1, seed: 1);
        var confidence = Enumerable.Repeat(1f, 32).ToArray();
        confidence[JointLayouts.AzureKinect.IndexOf("SPINE_CHEST")] = 0.25f;
        var device = new SkeletonSequence(JointLayouts.AzureKinect, ToAzureDevice(canonical), confidence: confidence);

        var v2 = LayoutMapping.Between(JointLayouts.AzureKinect, JointLayouts.KinectV2).Apply(device);

        Assert.Equal(0.25f, v2.Confidence![JointLayouts.KinectV2.IndexOf("SpineMid")]);
        Assert.Equal(1f, v2.Confidence![JointLayouts.KinectV2.IndexOf("Head")]);
    }

    [Fact]
    public void ApplyRejectsTheWrongSourceLayout()
    {
        var mapping = LayoutMapping.Between(JointLayouts.KinectV2, JointLayouts.KinectV1);

        Assert.Throws<ArgumentException>(() => mapping.Apply(KinectV1Moving(frames: 2, seed: 1)));
    }

    private static void AssertClose(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < 1e-5f, $"expected {expected}, got {actual}");
}
