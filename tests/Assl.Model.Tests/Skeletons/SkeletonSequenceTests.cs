using Assl.Model.Skeletons;
using TorchSharp;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Skeletons;

public sealed class SkeletonSequenceTests
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void RejectsNonFiniteCoordinatesNamingFrameAndJoint(float bad)
    {
        var positions = KinectV1Moving(frames: 4, seed: 1).ToArray();
        positions[(2 * 20 + 5) * 3 + 1] = bad;

        var error = Assert.Throws<ArgumentException>(() => new SkeletonSequence(JointLayouts.KinectV1, positions));

        Assert.Contains("frame 2, joint 5", error.Message);
    }

    [Fact]
    public void RejectsShapeMismatches()
    {
        Assert.Throws<ArgumentException>(() => new SkeletonSequence(JointLayouts.KinectV1, new float[59]));
        Assert.Throws<ArgumentException>(() => new SkeletonSequence(JointLayouts.KinectV1, []));
        Assert.Throws<ArgumentException>(() => new SkeletonSequence(JointLayouts.KinectV1, new float[120], [0]));
        Assert.Throws<ArgumentException>(() => new SkeletonSequence(JointLayouts.KinectV1, new float[120], confidence: new float[20]));
    }

    [Fact]
    public void DefaultTimestampsAreThirtyHertz()
    {
        var sequence = new SkeletonSequence(JointLayouts.KinectV1, new float[3 * 60]);

        Assert.Equal([0L, 33_333L, 66_666L], sequence.TimestampsMicros.ToArray());
        Assert.Equal(30.0, sequence.FramesPerSecond, 2);
    }

    [Fact]
    public void TensorRoundTripIsExact()
    {
        var sequence = KinectV1Moving(frames: 12, seed: 4);

        using var tensor = sequence.ToTensor();
        var back = SkeletonSequence.FromTensor(tensor, JointLayouts.KinectV1, sequence.TimestampsMicros.ToArray());

        Assert.Equal([12L, 20L, 3L], tensor.shape);
        Assert.Equal(torch.ScalarType.Float32, tensor.dtype);
        Assert.Equal(sequence.ToArray(), back.ToArray());
        Assert.Equal(sequence.TimestampsMicros.ToArray(), back.TimestampsMicros.ToArray());
        Assert.Equal(sequence.Joint(7, 11).Z, tensor[7, 11, 2].item<float>());
    }

    [Fact]
    public void FromTensorChecksTheShape()
    {
        using var wrong = torch.zeros(5, 25, 3);

        Assert.Throws<ArgumentException>(() => SkeletonSequence.FromTensor(wrong, JointLayouts.KinectV1));
    }

    [Fact]
    public void SliceCopiesFramesTimestampsAndConfidence()
    {
        var source = KinectV1Moving(frames: 10, seed: 2);
        var confidence = Enumerable.Range(0, 200).Select(i => i / 200f).ToArray();
        var sequence = new SkeletonSequence(JointLayouts.KinectV1, source.ToArray(), source.TimestampsMicros.ToArray(), confidence);

        var slice = sequence.Slice(3, 4);

        Assert.Equal(4, slice.FrameCount);
        Assert.Equal(sequence.Frame(3).ToArray(), slice.Frame(0).ToArray());
        Assert.Equal(sequence.Frame(6).ToArray(), slice.Frame(3).ToArray());
        Assert.Equal(sequence.TimestampsMicros[3..7].ToArray(), slice.TimestampsMicros.ToArray());
        Assert.Equal(confidence[60..140], slice.Confidence);
    }

    [Theory]
    [InlineData(-1, 2)]
    [InlineData(0, 0)]
    [InlineData(8, 3)]
    public void SliceRejectsRangesOutsideTheSequence(int start, int count)
    {
        var sequence = KinectV1Moving(frames: 10, seed: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => sequence.Slice(start, count));
    }

    [Fact]
    public void ToArrayIsACopy()
    {
        var sequence = KinectV1Moving(frames: 2, seed: 2);

        var copy = sequence.ToArray();
        copy[0] = 1234f;

        Assert.NotEqual(1234f, sequence.Positions[0]);
    }
}
