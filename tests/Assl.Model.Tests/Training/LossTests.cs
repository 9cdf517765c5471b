using Assl.Model.Networks;
using Assl.Model.Skeletons;
using Assl.Model.Tests.Tensors;
using Assl.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

[Collection("Sequential")]
public sealed class LossTests
{
    [Fact]
    public void NeighboursExcludeTheSampleAndReturnK()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var features = randn(20, 8);
        using var bank = new MemoryBank(features);
        var self = tensor(new long[] { 0, 5, 19 });
        // Querying with the samples' own features: each one's nearest is itself, which must be skipped.
        var neighbours = bank.Neighbours(features.index_select(0, self), self, 4);
        Assert.Equal([3L, 4], neighbours.shape);
        var rows = neighbours.data<long>().ToArray();
        for (int i = 0; i < 3; i++)
        {
            var row = rows.Skip(i * 4).Take(4).ToArray();
            Assert.DoesNotContain(self[i].item<long>(), row);
            Assert.Equal(4, row.Distinct().Count());
        }
        // The first neighbour is the most similar other sample.
        var q = nn.functional.normalize(features[0].unsqueeze(0), dim: 1);
        var sims = q.matmul(nn.functional.normalize(features, dim: 1).T).squeeze(0);
        sims[0] = tensor(-2f);
        Assert.Equal(sims.argmax().item<long>(), rows[0]);
    }

    [Fact]
    public void MemoryBankUpdateOverwritesRows()
    {
        using var scope = NewDisposeScope();
        using var bank = new MemoryBank(zeros(5, 3));
        bank.Update(tensor(new long[] { 1, 3 }), ones(2, 3));
        Assert.Equal(6f, bank.Features.sum().item<float>());
        Assert.Equal(3f, bank.Features[3].sum().item<float>());
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gcn")]
    public void EveryLossTermSendsGradientToTheEncoder(string encoder)
    {
        torch.manual_seed(7);
        using var scope = NewDisposeScope();
        using var net = new AsslNetwork(new AsslNetworkConfig(60, 4, new EncoderConfig(encoder, Hidden: 16, Layers: encoder == "gcn" ? 2 : 1),
            TranslationDim: 8, DecoderHidden: 8, WeightingHidden: 8, DiscriminatorHidden: 8));
        var x = randn(6, 12, 60);
        var encoderWeight = net.named_parameters().First(p => p.name.StartsWith("encoder.")).parameter;

        var losses = new Dictionary<string, Func<Tensor>>
        {
            ["ce"] = () => nn.functional.cross_entropy(net.forward(x), tensor(new long[] { 0, 1, 2, 3, 0, 1 })),
            ["inpaint"] = () =>
            {
                var mask = new InpaintingMasker(0.3, BodyParts.Of(JointLayouts.KinectV1)).Create(6, 12, 60, new Random(1), CPU);
                var masked = x * (1 - mask);
                return AsslLosses.Inpainting(net.Inpaint(net.Encode(masked), masked), x, mask);
            },
            ["consistency"] = () =>
            {
                var t = net.Translate(net.Encode(x));
                var neighbours = randn(6, 3, 8);
                var centre = NeighbourWeighting.Centre(net.Weighting.forward(t.detach(), neighbours), neighbours);
                return AsslLosses.Consistency(net.ClassifyWithFrozenHead(centre), net.Classify(t));
            },
            ["adversarial"] = () =>
            {
                var d = net.LabelDiscriminator.forward(GradientReversal.Apply(net.Translate(net.Encode(x))));
                return AsslLosses.Adversarial(d.narrow(0, 0, 3), d.narrow(0, 3, 3));
            },
            ["contrastive"] = () => AsslLosses.Contrastive(net.Translate(net.Encode(x)), net.Translate(net.Encode(x.flip(1))), 0.2),
        };
        foreach (var (name, loss) in losses)
        {
            FiniteBackward.Run(net, loss, [encoderWeight]);
            Assert.True(encoderWeight.grad is not null && encoderWeight.grad.abs().sum().item<float>() > 0, $"{name} gives the encoder no gradient");
        }
    }

    [Fact]
    public void ConsistencyIsZeroWhenCentreAgreesAndPositiveOtherwise()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 2, 0, -1, 0, 1, 3 }, [2, 3]);
        Assert.Equal(0f, AsslLosses.Consistency(logits, logits).item<float>(), 5);
        Assert.True(AsslLosses.Consistency(logits.flip(1), logits).item<float>() > 0.1f);
    }

    [Fact]
    public void PseudoLabelUsesOnlyConfidentSamples()
    {
        using var scope = NewDisposeScope();
        var weak = tensor(new float[] { 10, 0, 0, 0.1f, 0, 0 }, [2, 3]); // first confident, second not
        var strong = zeros(2, 3);
        var loss = AsslLosses.PseudoLabel(strong, weak, 0.95).item<float>();
        Assert.Equal(MathF.Log(3) / 2, loss, 4);
        Assert.Equal(0f, AsslLosses.PseudoLabel(strong, zeros(2, 3), 0.95).item<float>());
    }

    [Fact]
    public void PseudoLabelWithPerClassBarsUsesTheBarOfThePredictedClass()
    {
        using var scope = NewDisposeScope();
        // Both rows predict with confidence e^2 / (e^2 + 2) ≈ 0.787: row 0 class 0, row 1 class 1.
        var weak = tensor(new float[] { 2, 0, 0, 0, 2, 0 }, [2, 3]);
        var strong = zeros(2, 3);
        var lowBarForClass1 = tensor(new float[] { 0.95f, 0.5f, 0.95f });
        Assert.Equal(MathF.Log(3) / 2, AsslLosses.PseudoLabel(strong, weak, lowBarForClass1).item<float>(), 4);
        var lowBarForBoth = tensor(new float[] { 0.5f, 0.5f, 0.95f });
        Assert.Equal(MathF.Log(3), AsslLosses.PseudoLabel(strong, weak, lowBarForBoth).item<float>(), 4);
        Assert.Equal(0f, AsslLosses.PseudoLabel(strong, weak, tensor(new float[] { 0.95f, 0.95f, 0.5f })).item<float>());
    }

    [Fact]
    public void ContrastiveIsLowWhenEachClipsTwoViewsMatchAndHighWhenTheyAreSwapped()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var a = randn(8, 16);
        var b = a * 2 + 0.01 * randn(8, 16); // the same directions: cosine similarity ignores the scale
        var matched = AsslLosses.Contrastive(a, b, 0.1).item<float>();
        var swapped = AsslLosses.Contrastive(a, b.roll(1, 0), 0.1).item<float>();
        Assert.True(matched < 0.1f, $"matched views: {matched}");
        Assert.True(swapped > MathF.Log(8), $"swapped views: {swapped} (chance is ln 8 = {MathF.Log(8)})");
        // A sharper temperature makes the matched case more certain still.
        Assert.True(AsslLosses.Contrastive(a, b, 0.05).item<float>() < matched);
    }

    [Fact]
    public void RampAndScheduleAreMonotone()
    {
        Assert.Equal(1, AsslLosses.RampUp(100, 0));
        Assert.True(AsslLosses.RampUp(10, 100) < AsslLosses.RampUp(50, 100));
        Assert.Equal(1, AsslLosses.RampUp(100, 100));
        Assert.Equal(1e-3, LearningRateSchedule.Cosine(0, 100, 1e-3), 9);
        Assert.Equal(1e-5, LearningRateSchedule.Cosine(99, 100, 1e-3), 9);
    }

    [Fact]
    public void AugmentationIsReproducibleFromTheSeedAndKeepsShape()
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(1);
        var x = randn(4, 20, 60);
        var augmenter = new TensorAugmenter(AugmentationConfig.Strong, BodyParts.Of(JointLayouts.KinectV1));
        var a = augmenter.Apply(x, new Random(5));
        var b = augmenter.Apply(x, new Random(5));
        var c = augmenter.Apply(x, new Random(6));
        Assert.Equal(x.shape, a.shape);
        Assert.True(a.allclose(b, 0, 0));
        Assert.False(a.allclose(c));
        Assert.False(a.isnan().any().item<bool>());
    }

    [Fact]
    public void MaskingZeroesOneWholeBodyPartInEveryFrameAndDegenerateInputsStayFinite()
    {
        using var scope = NewDisposeScope();
        var parts = BodyParts.Of(JointLayouts.KinectV1);
        var maskOnly = new AugmentationConfig(0, 0, 1, 1, 1, 0, MaskPartProbability: 1);
        var x = ones(3, 20, 60);
        var masked = new TensorAugmenter(maskOnly, parts).Apply(x, new Random(3));

        for (int i = 0; i < 3; i++)
        {
            // A joint is zeroed in every frame or in none, and the zeroed joints are exactly one body part.
            var values = masked[i].data<float>().ToArray(); // (T = 20 frames) × (20 joints · 3)
            var zeroedPerJoint = Enumerable.Range(0, 20)
                .Select(j => Enumerable.Range(0, 20).Count(t => values.AsSpan(t * 60 + j * 3, 3).ToArray().All(v => v == 0))).ToArray();
            Assert.All(zeroedPerJoint, c => Assert.True(c is 0 or 20, string.Join(",", zeroedPerJoint)));
            var zeroed = Enumerable.Range(0, 20).Where(j => zeroedPerJoint[j] == 20).ToArray();
            Assert.Contains(parts, part => part.Order().SequenceEqual(zeroed));
        }

        // A body standing still at the origin, or shrunk to a point: rotation, scale, crop and jitter stay finite.
        var strong = new TensorAugmenter(AugmentationConfig.Strong, parts);
        Assert.False(strong.Apply(zeros(2, 20, 60), new Random(1)).isnan().any().item<bool>());
        Assert.False(strong.Apply(full(new long[] { 2, 20, 60 }, 1e-30f), new Random(2)).isfinite().logical_not().any().item<bool>());
    }

    [Fact]
    public void RotationMatrixIsOrthonormal()
    {
        var m = TensorAugmenter.RotationMatrix(0.3, -0.2, 0.1);
        using var r = tensor(m, [3, 3]);
        using var rrt = r.matmul(r.T);
        using var eye = torch.eye(3);
        Assert.True(rrt.allclose(eye, atol: 1e-5));
    }
}
