using Assl.Model.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Tensors;

[Collection("Sequential")]
public sealed class HeldScalarMathTests
{
    [Fact]
    public void EachHelperGivesTheSameBitsAsTorchSharpsOperator()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var x = randn(4, 5) * 3;
        var y = randn(4, 5);

        AssertSame(x.mul(0.37), x.Times(0.37));
        AssertSame(x / 0.5, x.DividedBy(0.5));
        AssertSame(x / 7L, x.DividedBy(7L));
        AssertSame(x + 1, x.Plus(1));
        AssertSame(x + y, x.Plus(y));
        AssertSame(x.ge(0.25), x.AtLeast(0.25));
        AssertSame(x.clamp_min(1), x.ClampMin(1));
        AssertSame(x.clamp(-1, 2), x.Clamp(-1, 2));
        AssertSame(full([2, 3], float.NegativeInfinity), HeldScalarMath.Filled([2, 3], float.NegativeInfinity, ScalarType.Float32, CPU));

        AssertSame(x.clone().fill_(2.5), x.clone().FillInPlace(2.5));

        var averaged = x.clone();
        var reference = x.clone();
        averaged.LerpInPlace(y, 0.99);
        reference.mul_(0.99).add_(y, alpha: 1 - 0.99);
        AssertSame(reference, averaged);
        Assert.False(averaged.eq(x).all().item<bool>(), "the average did not move");
    }

    private static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.True(expected.eq(actual).all().item<bool>());
    }
}
