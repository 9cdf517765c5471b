using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using TorchSharp;
using static Assl.Model.Tests.Skeletons.TestSkeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class SequenceTensorizerTests
{
    [Fact]
    public void BatchIsNByTByFlattenedJointsAndRoundTripsExactly()
    {
        var sequences = Enumerable.Range(0, 4).Select(seed => KinectV1Moving(frames: 50, seed)).ToList();

        using var batch = SequenceTensorizer.ToBatch(sequences, torch.CPU);

        Assert.Equal([4L, 50L, 60L], batch.shape);
        Assert.Equal(torch.ScalarType.Float32, batch.dtype);
        for (int n = 0; n < sequences.Count; n++)
        {
            var back = SequenceTensorizer.ToSequence(batch, n, JointLayouts.KinectV1);
            Assert.Equal(sequences[n].ToArray(), back.ToArray());
        }
    }

    [Fact]
    public void RowIsFrameMajorJointMajorAxisMinor()
    {
        var sequence = KinectV1Moving(frames: 3, seed: 8);

        using var batch = SequenceTensorizer.ToBatch([sequence]);

        var p = sequence.Joint(2, 11);
        Assert.Equal(p.Y, batch[0, 2, 11 * 3 + 1].item<float>());
    }

    [Fact]
    public void SingleRowTensorConvertsBack()
    {
        var sequence = KinectV1Moving(frames: 6, seed: 2);
        using var batch = SequenceTensorizer.ToBatch([sequence]);
        using var row = batch[0];

        var back = SequenceTensorizer.ToSequence(row, JointLayouts.KinectV1, sequence.TimestampsMicros.ToArray());

        Assert.Equal(sequence.ToArray(), back.ToArray());
        Assert.Equal(sequence.TimestampsMicros.ToArray(), back.TimestampsMicros.ToArray());
    }

    [Fact]
    public void RejectsMixedLengthsAndLayouts()
    {
        var fifty = KinectV1Moving(frames: 50, seed: 1);
        var azure = new SkeletonSequence(JointLayouts.AzureKinect, MovingCanonical(JointLayouts.AzureKinect, 50, 1));

        Assert.Throws<ArgumentException>(() => SequenceTensorizer.ToBatch([fifty, KinectV1Moving(frames: 49, seed: 1)]));
        Assert.Throws<ArgumentException>(() => SequenceTensorizer.ToBatch([fifty, azure]));
        Assert.Throws<ArgumentException>(() => SequenceTensorizer.ToBatch([]));
    }

    [Fact]
    public void RejectsAWrongFeatureWidth()
    {
        using var batch = SequenceTensorizer.ToBatch([KinectV1Moving(frames: 5, seed: 1)]);

        Assert.Throws<ArgumentException>(() => SequenceTensorizer.ToSequence(batch, 0, JointLayouts.KinectV2));
    }
}
