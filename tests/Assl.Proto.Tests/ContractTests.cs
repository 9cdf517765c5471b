using Assl.Proto.V1;
using Google.Protobuf;
using Google.Protobuf.Reflection;

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

    [Fact]
    public void AdminServiceKeepsItsNameAndMethods()
    {
        // The server's admin-key check matches calls by the "/assl.v1.ModelAdmin/" path prefix.
        Assert.Equal("assl.v1.ModelAdmin", ModelAdmin.Descriptor.FullName);
        Assert.Equal(["GetStatus", "ListVersions", "Promote", "Rollback", "TriggerFineTune", "Pause", "Resume"],
            ModelAdmin.Descriptor.Methods.Select(m => m.Name));
    }

    [Theory]
    [InlineData("LoopStatus", "state", 1)]
    [InlineData("LoopStatus", "paused", 2)]
    [InlineData("LoopStatus", "serving_version", 3)]
    [InlineData("LoopStatus", "new_samples", 4)]
    [InlineData("LoopStatus", "next_run_due", 5)]
    [InlineData("LoopStatus", "last_run", 6)]
    [InlineData("LoopStatus", "store_writable", 7)]
    [InlineData("LoopStatus", "detail", 8)]
    [InlineData("FineTuneRun", "candidate_version", 1)]
    [InlineData("FineTuneRun", "promoted", 2)]
    [InlineData("FineTuneRun", "reason", 3)]
    [InlineData("FineTuneRun", "seconds", 4)]
    [InlineData("FineTuneRun", "candidate_top1", 5)]
    [InlineData("FineTuneRun", "serving_top1", 6)]
    [InlineData("FineTuneRun", "finished", 7)]
    [InlineData("ModelVersion", "version", 1)]
    [InlineData("ModelVersion", "status", 2)]
    [InlineData("ModelVersion", "created", 3)]
    [InlineData("ModelVersion", "metrics", 4)]
    [InlineData("ModelVersion", "checkpoint_path", 5)]
    [InlineData("ListVersionsResponse", "versions", 1)]
    [InlineData("PromoteRequest", "version", 1)]
    [InlineData("PromoteRequest", "reason", 2)]
    [InlineData("RollbackRequest", "version", 1)]
    [InlineData("RollbackRequest", "reason", 2)]
    [InlineData("TriggerFineTuneRequest", "reason", 1)]
    [InlineData("TriggerFineTuneResponse", "accepted", 1)]
    [InlineData("TriggerFineTuneResponse", "message", 2)]
    public void AdminFieldNumbersNeverChange(string message, string field, int number)
    {
        var descriptor = AdminReflection.Descriptor.MessageTypes.Single(m => m.Name == message);
        Assert.Equal(number, descriptor.FindFieldByName(field)?.FieldNumber);
    }

    [Fact]
    public void AdminFieldsThatMayBeAbsentHavePresence()
    {
        // "Not measured" must not read as 0 % top-1, and "roll back to the previous version" must not read as version "".
        Assert.True(FineTuneRun.Descriptor.FindFieldByName("candidate_top1").HasPresence);
        Assert.True(FineTuneRun.Descriptor.FindFieldByName("serving_top1").HasPresence);
        Assert.True(RollbackRequest.Descriptor.FindFieldByName("version").HasPresence);
        Assert.Equal(FieldType.Message, LoopStatus.Descriptor.FindFieldByName("next_run_due").FieldType);
        Assert.False(new RollbackRequest().HasVersion);
        Assert.True(RollbackRequest.Parser.ParseFrom(new RollbackRequest { Version = "" }.ToByteArray()).HasVersion);
    }

    [Fact]
    public void AdminEnumsStartUnspecifiedAndKeepTheirValues()
    {
        Assert.Equal([(0, "LOOP_STATE_UNSPECIFIED"), (1, "LOOP_STATE_DISABLED"), (2, "LOOP_STATE_IDLE"), (3, "LOOP_STATE_TRAINING"), (4, "LOOP_STATE_EVALUATING")],
            ValuesOf("LoopState"));
        Assert.Equal([(0, "MODEL_VERSION_STATUS_UNSPECIFIED"), (1, "MODEL_VERSION_STATUS_CANDIDATE"), (2, "MODEL_VERSION_STATUS_SERVING"),
            (3, "MODEL_VERSION_STATUS_REFUSED"), (4, "MODEL_VERSION_STATUS_RETIRED")], ValuesOf("ModelVersionStatus"));
    }

    private static IEnumerable<(int, string)> ValuesOf(string adminEnum) =>
        AdminReflection.Descriptor.EnumTypes.Single(e => e.Name == adminEnum).Values.Select(v => (v.Number, v.Name));
}
