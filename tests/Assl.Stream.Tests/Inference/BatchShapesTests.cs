using Assl.Stream.Inference;

namespace Assl.Stream.Tests.Inference;

public sealed class BatchShapesTests
{
    [Fact]
    public void EverySizeUpToSixtyFourRunsAtOneOfTwentyShapes_AtMostAFifthOfAPassPadding()
    {
        var shapes = Enumerable.Range(1, 64).Select(BatchShapes.Padded).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64], shapes.Distinct().Order().ToArray());
        for (int count = 1; count <= 64; count++)
        {
            // A padded row costs as much as a real one: the waste stays at most a fifth of the pass (17 → 20).
            Assert.InRange(shapes[count - 1], count, count / 0.8);
            Assert.Equal(shapes[count - 1], BatchShapes.Padded(shapes[count - 1]));
        }
    }

    [Fact]
    public void AShapeIsTheSmallestThatHolds()
    {
        Assert.Equal(5, BatchShapes.Padded(5));
        Assert.Equal(10, BatchShapes.Padded(9));
        Assert.Equal(20, BatchShapes.Padded(17));
        Assert.Equal(24, BatchShapes.Padded(21));
        Assert.Equal(40, BatchShapes.Padded(33));
        Assert.Equal(64, BatchShapes.Padded(57));
        Assert.Equal(80, BatchShapes.Padded(65));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShapes.Padded(0));
    }
}
