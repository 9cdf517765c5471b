using Assl.Model.Skeletons;

namespace Assl.Model.Tests.Skeletons;

public sealed class JointLayoutsTests
{
    public static TheoryData<string, int> LayoutsAndCounts => new()
    {
        { "kinect-v1-20", 20 },
        { "kinect-v2-25", 25 },
        { "azure-kinect-32", 32 },
    };

    [Theory]
    [MemberData(nameof(LayoutsAndCounts))]
    public void EachLayoutIsATreeWithOneRoot(string id, int joints)
    {
        var layout = JointLayouts.Get(id);

        Assert.Equal(joints, layout.JointCount);
        Assert.Equal(joints, layout.JointNames.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Single(layout.Parents, p => p == -1);
        Assert.Equal(joints - 1, layout.Bones.Count());
        // Every joint reaches the root in fewer than J steps, so there is no cycle.
        for (int j = 0; j < joints; j++)
        {
            int steps = 0;
            for (int k = j; layout.Parents[k] >= 0; k = layout.Parents[k])
                Assert.True(++steps < joints, $"{layout.JointNames[j]} does not reach the root");
        }
    }

    [Theory]
    [MemberData(nameof(LayoutsAndCounts))]
    public void GetFindsByIdAndByJointCount(string id, int joints)
    {
        Assert.Same(JointLayouts.Get(id), JointLayouts.Get(joints.ToString()));
        Assert.Same(JointLayouts.Get(id), JointLayouts.Get(id.ToUpperInvariant()));
        Assert.Same(JointLayouts.Get(id), JointLayouts.ForJointCount(joints));
    }

    [Fact]
    public void UnknownLayoutsAreRejectedWithTheKnownIds()
    {
        var error = Assert.Throws<ArgumentException>(() => JointLayouts.Get("kinect-v3"));
        Assert.Contains("kinect-v2-25", error.Message);
        Assert.Throws<ArgumentException>(() => JointLayouts.Get("19"));
        Assert.Null(JointLayouts.ForJointCount(19));
    }

    [Fact]
    public void ConventionsMatchTheDevices()
    {
        Assert.Equal(CoordinateConvention.KinectCameraSpace, JointLayouts.KinectV1.Convention);
        Assert.Equal(CoordinateConvention.KinectCameraSpace, JointLayouts.KinectV2.Convention);
        Assert.Equal(CoordinateConvention.AzureKinectDepthCamera, JointLayouts.AzureKinect.Convention);
        Assert.Equal((-0.001f, -0.001f, 0.001f), JointLayouts.AzureKinect.Convention.ToCanonical);
        Assert.Equal((-1000f, -1000f, 1000f), JointLayouts.AzureKinect.Convention.FromCanonical);
    }

    [Theory]
    [MemberData(nameof(LayoutsAndCounts))]
    public void NormalisationJointsAreTheSpineHipAndShoulders(string id, int joints)
    {
        var layout = JointLayouts.Get(id);
        var n = layout.Normalisation;

        Assert.Equal(-1, layout.Parents[n.Hip]);
        Assert.Equal(n.Spine, n.Centre);
        Assert.Contains("LEFT", layout.JointNames[n.LeftShoulder].ToUpperInvariant());
        Assert.Contains("RIGHT", layout.JointNames[n.RightShoulder].ToUpperInvariant());
        Assert.Contains("SHOULDER", layout.JointNames[n.LeftShoulder].ToUpperInvariant());
        Assert.Contains("SHOULDER", layout.JointNames[n.RightShoulder].ToUpperInvariant());
        Assert.True(joints > 0);
    }

    [Fact]
    public void IndexOfIsCaseInsensitiveAndRejectsUnknownJoints()
    {
        Assert.Equal(3, JointLayouts.KinectV1.IndexOf("head"));
        Assert.Throws<KeyNotFoundException>(() => JointLayouts.KinectV1.IndexOf("Tail"));
    }

    [Fact]
    public void ConstructorRejectsMalformedTrees()
    {
        var normalisation = new NormalisationJoints(Centre: 0, Hip: 1, Spine: 1, LeftShoulder: 1, RightShoulder: 2);
        Assert.Throws<ArgumentException>(() => new JointLayout("two-roots", "x", ["a", "b", "c"], [-1, -1, 0],
            CoordinateConvention.KinectCameraSpace, new NormalisationJoints(1, 0, 1, 1, 2)));
        Assert.Throws<ArgumentException>(() => new JointLayout("self-parent", "x", ["a", "b", "c"], [-1, 1, 0],
            CoordinateConvention.KinectCameraSpace, new NormalisationJoints(1, 0, 1, 1, 2)));
        Assert.Throws<ArgumentException>(() => new JointLayout("same-axis", "x", ["a", "b", "c"], [-1, 0, 0],
            CoordinateConvention.KinectCameraSpace, normalisation));
        Assert.Throws<ArgumentException>(() => new JointLayout("cycle", "x", ["a", "b", "c"], [-1, 2, 1],
            CoordinateConvention.KinectCameraSpace, new NormalisationJoints(1, 0, 1, 1, 2)));
        Assert.Throws<ArgumentException>(() => new JointLayout("out-of-range", "x", ["a", "b", "c"], [-1, 0, 0],
            CoordinateConvention.KinectCameraSpace, new NormalisationJoints(1, 0, 1, 1, 3)));
        Assert.Throws<ArgumentException>(() => new JointLayout("lengths", "x", ["a", "b"], [-1, 0, 0],
            CoordinateConvention.KinectCameraSpace, new NormalisationJoints(1, 0, 1, 0, 1)));
    }
}
