using Assl.Model.Networks;
using Assl.Model.Skeletons;
using Assl.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Networks;

[Collection("Sequential")]
public sealed class NetworkTests
{
    private static AsslNetwork SmallNetwork(int classes = 5) =>
        new(new AsslNetworkConfig(60, classes, new EncoderConfig(Hidden: 16, Layers: 2), TranslationDim: 12, DecoderHidden: 16, WeightingHidden: 8, DiscriminatorHidden: 8));

    [Fact]
    public void ShapesFollowTheContract()
    {
        using var scope = NewDisposeScope();
        using var net = SmallNetwork();
        var x = randn(4, 50, 60);
        var h = net.Encode(x);
        var translated = net.Translate(h);
        Assert.Equal([4L, 16], h.shape);
        Assert.Equal([4L, 12], translated.shape);
        Assert.Equal([4L, 5], net.forward(x).shape);
        Assert.Equal([4L, 50, 60], net.Inpaint(h, x).shape);
        var neighbours = randn(4, 3, 12);
        var alpha = net.Weighting.forward(translated, neighbours);
        Assert.Equal([4L, 3], alpha.shape);
        Assert.All(alpha.sum(1).data<float>().ToArray(), s => Assert.Equal(1f, s, 4));
        Assert.Equal([4L], net.LabelDiscriminator.forward(translated).shape);
    }

    [Fact]
    public void DiscriminatorIsAnMlpWithLeakyReluSlopePointTwo()
    {
        using var scope = NewDisposeScope();
        using var discriminator = new Discriminator(featureSize: 6, hidden: 5);
        var p = discriminator.named_parameters().ToDictionary(n => n.name, n => (Tensor)n.parameter);
        var x = randn(4, 6);
        var h = nn.functional.leaky_relu(nn.functional.linear(x, p["fc1.weight"], p["fc1.bias"]), 0.2);
        h = nn.functional.leaky_relu(nn.functional.linear(h, p["fc2.weight"], p["fc2.bias"]), 0.2);
        var expected = nn.functional.linear(h, p["fc3.weight"], p["fc3.bias"]).squeeze(-1);
        Assert.True(discriminator.forward(x).eq(expected).all().item<bool>());
    }

    [Fact]
    public void AMotionEncoderReadsEachFramesDisplacementBesideItsPosition()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 4, 7, 10, 20, 40, 70 }).reshape(2, 4, 1); // (N=2, T=4, C=1)
        var withMotion = GruEncoder.WithMotion(x);
        Assert.Equal([2L, 4, 2], withMotion.shape);
        Assert.Equal(new float[] { 1, 0, 2, 1, 4, 2, 7, 3, 10, 0, 20, 10, 40, 20, 70, 30 }, withMotion.data<float>().ToArray());

        using var net = new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig(Hidden: 16, Layers: 1, Motion: true), TranslationDim: 12,
            DecoderHidden: 16, WeightingHidden: 8, DiscriminatorHidden: 8));
        var input = randn(3, 10, 60);
        Assert.Equal([3L, 5], net.forward(input).shape);
        var inputWeights = net.named_parameters().Single(p => p.name == "encoder.gru.weight_ih_l0").parameter;
        Assert.Equal(2 * 60, inputWeights.shape[1]); // positions and their motion
    }

    [Fact]
    public void WrongInputShapeIsRefusedClearly()
    {
        using var net = SmallNetwork();
        using var x = randn(2, 50, 75);
        var e = Assert.Throws<ArgumentException>(() => net.forward(x));
        Assert.Contains("(N, T, 60)", e.Message);
    }

    [Fact]
    public void ModulesRunOnTheConfiguredDevice()
    {
        // Device-agnostic: the same code runs wherever the module and its input are.
        var device = cuda.is_available() ? CUDA : CPU;
        using var scope = NewDisposeScope();
        using var net = SmallNetwork();
        net.to(device);
        var logits = net.forward(randn(2, 10, 60, device: device));
        Assert.Equal(device.type, logits.device.type);
        Assert.Throws<InvalidOperationException>(() =>
        {
            if (!cuda.is_available()) AsslTrainer.ResolveDevice("cuda");
            else throw new InvalidOperationException("CUDA present: nothing to refuse");
        });
    }

    [Fact]
    public void TrainAndEvalReachEveryChild()
    {
        using var net = SmallNetwork();
        net.eval();
        Assert.All(net.modules(), m => Assert.False(m.training));
        net.train();
        Assert.All(net.modules(), m => Assert.True(m.training));
    }

    [Fact]
    public void GradientReversalFlipsTheSign()
    {
        using var scope = NewDisposeScope();
        var x = randn(3, 4).requires_grad_(true);
        var weights = randn(3, 4);
        (GradientReversal.Apply(x, 0.5) * weights).sum().backward();
        Assert.True(x.grad!.allclose(weights.neg() * 0.5));

        var y = x.detach().clone().requires_grad_(true);
        var forward = GradientReversal.Apply(y);
        Assert.True(forward.allclose(y, 0, 0));
    }

    [Fact]
    public void BodyPartsCoverEveryJointOnce()
    {
        foreach (var layout in JointLayouts.All)
        {
            var parts = BodyParts.Of(layout);
            var all = parts.SelectMany(p => p).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, layout.JointCount), all);
            Assert.InRange(parts.Count, 5, 12);
        }
        // Kinect v1: the left arm is one part.
        var v1 = BodyParts.Of(JointLayouts.KinectV1);
        Assert.Contains(v1, p => p.SequenceEqual([4, 5, 6, 7]));
    }
}
