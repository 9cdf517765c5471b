using Assl.Proto.V1;
using Google.Protobuf;

namespace Assl.Proto.Tests;

public sealed class ContractTests
{
    [Fact]
    public void FrameRoundTripsThroughTheWireFormat()
    {
        var body = new Body { TrackingId = 7, Layout = JointLayout.AzureKinect32 };
        body.Positions.AddRange(Enumerable.Range(0, 32 * 3).Select(i => i * 0.5f));
        var frame = new SkeletonFrame { CameraId = "cam-1", TimestampUs = 1_000_033, Bodies = { body } };

        var parsed = SkeletonFrame.Parser.ParseFrom(frame.ToByteArray());

        Assert.Equal(frame, parsed);
        Assert.Equal(96, parsed.Bodies[0].Positions.Count);
    }

    [Fact]
    public void PositionsArePackedOnTheWire()
    {
        // Packed floats cost 4 bytes each plus one length prefix; unpacked would cost 5 each.
        var body = new Body();
        body.Positions.AddRange(new float[75]);
        Assert.InRange(body.CalculateSize(), 300, 305);
    }

    [Fact]
    public void TruncatedMessageIsRejected()
    {
        var frame = new SkeletonFrame { CameraId = "cam", Bodies = { new Body { Positions = { 1, 2, 3 } } } };
        var bytes = frame.ToByteArray();
        Assert.Throws<InvalidProtocolBufferException>(() => SkeletonFrame.Parser.ParseFrom(bytes.AsSpan(0, bytes.Length - 2).ToArray()));
    }
}
