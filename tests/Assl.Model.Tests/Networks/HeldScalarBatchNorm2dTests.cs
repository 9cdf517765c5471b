using Assl.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Networks;

[Collection("Sequential")]
public sealed class HeldScalarBatchNorm2dTests
{
    [Fact]
    public void BehavesAndSavesExactlyAsTorchSharpsBatchNorm2d()
    {
        using var scope = NewDisposeScope();
        using var ours = new HeldScalarBatchNorm2d(6);
        using var theirs = nn.BatchNorm2d(6);
        var ourState = ours.state_dict();
        var theirState = theirs.state_dict();
        Assert.Equal(theirState.Keys.Order(), ourState.Keys.Order());
        foreach (var (name, value) in theirState)
        {
            Assert.Equal(value.shape, ourState[name].shape);
            Assert.Equal(value.dtype, ourState[name].dtype);
            Assert.True(value.eq(ourState[name]).all().item<bool>(), name);
        }

        // Training steps: the same output, the same gradient, the same running statistics and batch count.
        manual_seed(4);
        for (int step = 0; step < 3; step++)
        {
            var x = (randn(5, 6, 7, 3) * 2 + 1).requires_grad_(true);
            var y = x.detach().clone().requires_grad_(true);
            var a = ours.forward(x);
            var b = theirs.forward(y);
            Assert.True(a.allclose(b, rtol: 1e-5, atol: 1e-6));
            (a * a).sum().backward();
            (b * b).sum().backward();
            Assert.True(x.grad!.allclose(y.grad!, rtol: 1e-4, atol: 1e-5));
        }
        ourState = ours.state_dict();
        foreach (var (name, value) in theirs.state_dict())
            Assert.True(value.allclose(ourState[name], rtol: 1e-5, atol: 1e-6), name);
        Assert.Equal(3L, ourState["num_batches_tracked"].item<long>());

        // Evaluation normalises with the running statistics.
        ours.eval();
        theirs.eval();
        var probe = randn(2, 6, 4, 3);
        Assert.True(ours.forward(probe).allclose(theirs.forward(probe), rtol: 1e-5, atol: 1e-6));
        Assert.Equal(3L, ours.state_dict()["num_batches_tracked"].item<long>());
        Assert.Throws<ArgumentException>(() => ours.forward(randn(2, 6, 4)));
    }
}
