using Assl.Model.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

[Collection("Sequential")]
public sealed class HeldScalarAdamTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-4)]
    public void UpdatesParametersBitForBitAsTorchSharpsAdam(double weightDecay)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        using var ours = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3));
        using var theirs = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3));
        theirs.load_state_dict(ours.state_dict());
        using var ourAdam = new HeldScalarAdam(ours.parameters(), learningRate: 0.01, weightDecay: weightDecay);
        using var theirAdam = optim.Adam(theirs.parameters(), lr: 0.01, weight_decay: weightDecay);
        var initialWeight = ours.state_dict()["0.weight"].clone();

        for (int step = 0; step < 6; step++)
        {
            // A falling learning rate, as the trainer's cosine schedule sets it before each step.
            double learningRate = 0.01 / (step + 1);
            ourAdam.LearningRate = learningRate;
            foreach (var group in theirAdam.ParamGroups) group.LearningRate = learningRate;
            ourAdam.ZeroGrad();
            theirAdam.zero_grad();
            var x = randn(5, 6);
            var y = randint(0, 3, 5);
            nn.functional.cross_entropy(ours.forward(x), y).backward();
            nn.functional.cross_entropy(theirs.forward(x), y).backward();
            ourAdam.Step();
            theirAdam.step();
        }

        var theirState = theirs.state_dict();
        foreach (var (name, value) in ours.state_dict())
            Assert.True(Same(value, theirState[name]), $"{name} differs from TorchSharp's Adam after 6 steps.");
        Assert.False(Same(ours.state_dict()["0.weight"], initialWeight), "the parameters did not move");
    }

    [Fact]
    public void NonFiniteGradientSkipsTheWholeStepAndTheNextFiniteStepIsAsIfItNeverHappened()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(3));
        var q = new Parameter(ones(2));
        var reference = new Parameter(ones(3));
        using var adam = new HeldScalarAdam([p, q], learningRate: 0.1);
        using var clean = new HeldScalarAdam([reference], learningRate: 0.1);

        // p's gradient is finite, q's has a NaN: neither may move, or p's moments would count a step q never took.
        (p * 2).sum().backward();
        (q * tensor(new[] { 1f, float.NaN })).sum().backward();
        Assert.False(adam.Step());
        Assert.Equal(1, adam.SkippedSteps);
        Assert.True(Same(p, ones(3)) && Same(q, ones(2)), "a skipped step moved a parameter");

        adam.ZeroGrad();
        (p * 2).sum().backward();
        (q * 3).sum().backward();
        Assert.True(adam.Step());
        (reference * 2).sum().backward();
        clean.Step();
        Assert.True(Same(p, reference), "the skipped step left a trace in the moments or the step count");
        Assert.True(isfinite(q).all().item<bool>());

        adam.ZeroGrad();
        (p * float.PositiveInfinity).sum().backward();
        Assert.False(adam.Step());
        Assert.Equal(2, adam.SkippedSteps);
    }

    [Fact]
    public void ParameterWithoutGradientIsLeftAloneAndCorrectsForItsOwnSteps()
    {
        using var scope = NewDisposeScope();
        var always = new Parameter(ones(3));
        var sometimes = new Parameter(ones(3));
        var sometimesReference = new Parameter(ones(3));
        using var adam = new HeldScalarAdam([always, sometimes], learningRate: 0.1);
        using var reference = new HeldScalarAdam([sometimesReference], learningRate: 0.1);

        // Step 1: only `always` has a gradient, so `sometimes` must not move.
        (always * 2).sum().backward();
        adam.Step();
        Assert.True(Same(sometimes, ones(3)));
        Assert.False(Same(always, ones(3)));

        // Step 2: `sometimes` takes its first step, with step-1 bias correction, like a fresh optimizer's first step.
        adam.ZeroGrad();
        (sometimes * 3).sum().backward();
        (sometimesReference * 3).sum().backward();
        adam.Step();
        reference.Step();
        Assert.True(Same(sometimes, sometimesReference));
    }

    [Fact]
    public void RefusesBadSettings()
    {
        using var scope = NewDisposeScope();
        var p = new Parameter(ones(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeldScalarAdam([p], learningRate: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeldScalarAdam([p], learningRate: 0.1, beta1: 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HeldScalarAdam([p], learningRate: 0.1, weightDecay: -0.1));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();
}
