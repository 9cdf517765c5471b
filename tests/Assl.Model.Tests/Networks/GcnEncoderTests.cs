using Assl.Model.Networks;
using Assl.Model.Skeletons;
using Assl.Model.Tests.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Networks;

[Collection("Sequential")]
public sealed class GcnEncoderTests
{
    private static AsslNetwork GcnNetwork(int joints, int hidden = 16, int layers = 3) =>
        new(new AsslNetworkConfig(joints * 3, 5, new EncoderConfig("gcn", hidden, layers), TranslationDim: 12, DecoderHidden: 16,
            WeightingHidden: 8, DiscriminatorHidden: 8));

    [Theory]
    [InlineData(20)]
    [InlineData(25)]
    [InlineData(32)]
    public void EveryLayoutGivesOneFeatureVectorPerSequence(int joints)
    {
        using var scope = NewDisposeScope();
        using var net = GcnNetwork(joints);
        var x = randn(4, 50, joints * 3);
        var h = net.Encode(x);
        Assert.Equal([4L, 16], h.shape);
        Assert.True(isfinite(h).all().item<bool>());
        AssertNormsStartAsTheIdentity(net);
        Assert.Equal([4L, 5], net.forward(x).shape);
        Assert.Equal([4L, 50, joints * 3], net.Inpaint(h, x).shape);
    }

    [Fact]
    public void PartitionsFollowTheKinematicTree()
    {
        var layout = JointLayouts.KinectV1;
        int j = layout.JointCount;
        var a = GcnEncoder.SpatialPartitions(layout);
        float At(int k, int row, int col) => a[k * j * j + row * j + col];

        for (int joint = 0; joint < j; joint++) Assert.Equal(1f, At(0, joint, joint));
        // ShoulderCenter (2) receives from its parent, Spine (1), and from its three children equally.
        Assert.Equal(1f, At(1, 2, 1));
        Assert.Equal(1f / 3, At(2, 2, 3), 6);
        Assert.Equal(1f / 3, At(2, 2, 4), 6);
        Assert.Equal(1f / 3, At(2, 2, 8), 6);
        // The root has no parent; a hand has no child.
        Assert.Equal(0f, Enumerable.Range(0, j).Sum(c => At(1, 0, c)));
        Assert.Equal(0f, Enumerable.Range(0, j).Sum(c => At(2, 7, c)));
        Assert.Equal(2 * j - 1 + 2 * (j - 1) - (j - 1), a.Count(v => v > 0)); // self, parent and child rows
    }

    [Fact]
    public void OneGraphConvolutionMovesAJointsSignalOnlyToItsNeighbours()
    {
        using var scope = NewDisposeScope();
        var layout = JointLayouts.KinectV1;
        var graph = tensor(GcnEncoder.SpatialPartitions(layout), [3, 20, 20]);
        var x = zeros([1, 3, 2, 4, 20]); // (N, K, C, T, J)
        x[.., .., .., .., 5] = ones(1, 3, 2, 4); // ElbowLeft, in every partition
        var sum = GcnEncoder.Gather(x, graph).abs().sum([0, 1, 2]);
        var reached = Enumerable.Range(0, 20).Where(joint => sum[joint].item<float>() > 0).ToArray();
        Assert.Equal([4, 5, 6], reached); // its parent shoulder, itself, its wrist child
    }

    [Theory]
    [InlineData(9, 32)]
    [InlineData(32, 64)]
    [InlineData(16, 16)]
    public void GatheringBeforeMixingGivesTheSameGraphConvolution(int cIn, int cOut)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var graph = tensor(GcnEncoder.SpatialPartitions(JointLayouts.KinectV1), [3, 20, 20]) * rand(3, 20, 20); // weighted edges
        using var conv = nn.Conv2d(cIn, 3 * cOut, 1);
        var x = randn(2, cIn, 7, 20);

        var mixThenGather = GcnEncoder.Gather(conv.forward(x).view(2, 3, cOut, 7, 20), graph);
        var gatherThenMix = GcnEncoder.GatherThenMix(x, graph, conv.weight!, conv.bias);

        Assert.Equal(mixThenGather.shape, gatherThenMix.shape);
        Assert.True(allclose(mixThenGather, gatherThenMix, rtol: 1e-4, atol: 1e-5),
            $"largest difference {(mixThenGather - gatherThenMix).abs().max().item<float>()}");
    }

    [Fact]
    public void JointsCanAlsoReadTheirBonesAndMotion()
    {
        using var scope = NewDisposeScope();
        // Two frames of a three-joint chain 0 ← 1 ← 2 (x coordinates only shown; y and z are zero).
        var x = tensor(new float[] { 0, 0, 0, 1, 0, 0, 3, 0, 0, /* frame 2 */ 1, 0, 0, 2, 0, 0, 5, 0, 0 }, [1, 2, 9]);
        var features = GcnEncoder.JointFeatures(x, [0, 0, 1], bones: true, motion: true); // (1, 2, 3, 9)
        Assert.Equal([1L, 2, 3, 9], features.shape);
        float At(int frame, int joint, int f) => features[0, frame, joint, f].item<float>();
        Assert.Equal([5f, 3f, 2f], [At(1, 2, 0), At(1, 2, 3), At(1, 2, 6)]); // position 5, bone from joint 1 at 2, motion since 3
        Assert.Equal(0f, At(1, 0, 3)); // the root has no bone
        Assert.Equal(0f, At(0, 2, 6)); // nor any motion at the first frame

        using var net = new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("gcn", 16, 2, Bones: true, Motion: true), TranslationDim: 12,
            DecoderHidden: 16, WeightingHidden: 8, DiscriminatorHidden: 8));
        Assert.Equal([3L, 5], net.forward(randn(3, 10, 60)).shape);
        var first = net.named_parameters().Single(p => p.name == "encoder.blocks.0.spatial.weight").parameter;
        Assert.Equal(9, first.shape[1]); // positions, bones, motion
    }

    [Fact]
    public void BatchNormalisationIsAnOptionWithRunningStatistics()
    {
        torch.manual_seed(4);
        using var scope = NewDisposeScope();
        using var net = new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("gcn", 16, 2, Norm: "batch"), TranslationDim: 12,
            DecoderHidden: 16, WeightingHidden: 8, DiscriminatorHidden: 8));
        var runningMean = net.named_buffers().First(b => b.name.EndsWith("running_mean")).buffer;
        AssertNormsStartAsTheIdentity(net);
        var before = runningMean.clone();
        net.train();
        net.forward(randn(8, 20, 60) * 3 + 2);
        Assert.False(runningMean.allclose(before), "training-mode passes move the running statistics");

        // In eval mode a window's answer does not depend on what else is in its batch (serving batches freely).
        net.eval();
        var x = randn(4, 20, 60);
        Assert.True(net.forward(x).narrow(0, 0, 1).allclose(net.forward(x.narrow(0, 0, 1)), 1e-5, 1e-5));
        var unknown = Assert.Throws<ArgumentException>(() => new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("gcn", 16, 2, Norm: "layer"))));
        Assert.Contains("\"group\" or \"batch\"", unknown.Message);
    }

    [Fact]
    public void TheGraphMovesWithTheModelButIsNotSavedWithIt()
    {
        using var scope = NewDisposeScope();
        using var net = GcnNetwork(20);
        var saved = net.state_dict().Keys.ToArray();
        Assert.Contains(saved, key => key.EndsWith("importance"));
        Assert.DoesNotContain(saved, key => key.Contains("partitions"));

        // A conversion reaches the graph too: otherwise float64 features would meet a float32 graph.
        net.to(ScalarType.Float64);
        var h = net.Encode(randn([2, 10, 60], dtype: ScalarType.Float64));
        Assert.Equal(ScalarType.Float64, h.dtype);
    }

    [Fact]
    public void EdgeImportanceAndConvolutionsLearn()
    {
        torch.manual_seed(2);
        using var scope = NewDisposeScope();
        using var net = GcnNetwork(20);
        var x = randn(6, 20, 60);
        var y = tensor(new long[] { 0, 1, 2, 3, 4, 0 });
        FiniteBackward.Run(net, () => nn.functional.cross_entropy(net.forward(x), y));
        var encoderParameters = net.named_parameters().Where(p => p.name.StartsWith("encoder.")).ToList();
        Assert.Contains(encoderParameters, p => p.name.EndsWith("importance"));
        Assert.All(encoderParameters, p => Assert.True(p.parameter.grad is not null && p.parameter.grad.abs().sum().item<float>() > 0,
            $"{p.name} gets no gradient"));
    }

    [Fact]
    public void UnknownJointCountsAndBonesForTheGruAreRefusedClearly()
    {
        var e = Assert.Throws<ArgumentException>(() => GcnNetwork(21));
        Assert.Contains("21 joints", e.Message);
        var bones = Assert.Throws<ArgumentException>(() =>
            new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("gru", 16, 2, Bones: true))));
        Assert.Contains("graph-encoder setting", bones.Message);
        var unknown = Assert.Throws<ArgumentException>(() => new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("lstm"))));
        Assert.Contains("gru, gcn", unknown.Message);
    }

    private static void AssertNormsStartAsTheIdentity(AsslNetwork net)
    {
        var norms = net.named_parameters().Where(p => p.name.Contains("_norm.")).ToList();
        Assert.NotEmpty(norms);
        foreach (var (name, p) in norms)
            Assert.True(p.allclose(name.EndsWith("weight") ? ones_like(p) : zeros_like(p)), $"{name} starts at {p.mean().item<float>()}");
    }
}
