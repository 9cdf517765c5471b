using Assl.Proto.V1;
using Assl.Stream.Events;

namespace Assl.Stream.Tests.Events;

public sealed class ActionEventMapperTests
{
    [Fact]
    public void EveryFieldReachesTheWire()
    {
        var record = new ActionEventRecord("cam-2", 77, ActionEventKind.Started, 3, "fall", 0.8f,
            [new ScoredClass(3, "fall", 0.8f), new ScoredClass(0, "wave", 0.1f)], 1_000, 2_000, "v7", 123_456);

        var message = record.ToProto();

        Assert.Equal(new ActionEvent
        {
            CameraId = "cam-2", BodyId = 77, ClassIndex = 3, ClassName = "fall", Confidence = 0.8f,
            TopK =
            {
                new ClassScore { ClassIndex = 3, ClassName = "fall", Score = 0.8f },
                new ClassScore { ClassIndex = 0, ClassName = "wave", Score = 0.1f },
            },
            WindowStartUs = 1_000, WindowEndUs = 2_000, ModelVersion = "v7", Kind = EventKind.Started,
            ServerReceivedUnixUs = 123_456,
        }, message);
        Assert.Equal(IngestReply.ReplyOneofCase.Event, record.ToIngestReply().ReplyCase);
        Assert.Equal(IngestReply.ReplyOneofCase.Rejection, new FrameRejection().ToIngestReply().ReplyCase);
    }

    [Theory]
    [InlineData(ActionEventKind.Started, EventKind.Started)]
    [InlineData(ActionEventKind.Ongoing, EventKind.Ongoing)]
    [InlineData(ActionEventKind.Ended, EventKind.Ended)]
    [InlineData(ActionEventKind.Unknown, EventKind.Unknown)]
    public void KindsMapOneToOne(ActionEventKind kind, EventKind expected) =>
        Assert.Equal(expected, ActionEventMapper.ToProto(kind));
}
