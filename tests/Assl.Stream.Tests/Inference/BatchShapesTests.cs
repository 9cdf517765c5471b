using Assl.Stream.Inference;

namespace Assl.Stream.Tests.Inference;

public sealed class BatchShapesTests
{
    [Fact]
    public void EverySizeUpToSixtyFourRunsAtOneOfTwelveShapes_LessThanHalfAsLargeAgain()
    {
        var shapes = Enumerable.Range(1, 64).Select(BatchShapes.Padded).ToArray();
        Assert.Equal([1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64], shapes.Distinct().Order().ToArray());
        for (int count = 1; count <= 64; count++)
        {
            Assert.InRange(shapes[count - 1], count, count + Math.Max(0, (count - 1) / 2));
            Assert.Equal(shapes[count - 1], BatchShapes.Padded(shapes[count - 1]));
        }
    }

    [Fact]
    public void AShapeIsTheSmallestThatHolds()
    {
        Assert.Equal(4, BatchShapes.Padded(4));
        Assert.Equal(6, BatchShapes.Padded(5));
        Assert.Equal(48, BatchShapes.Padded(33));
        Assert.Equal(64, BatchShapes.Padded(49));
        Assert.Equal(96, BatchShapes.Padded(65));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchShapes.Padded(0));
    }
}
