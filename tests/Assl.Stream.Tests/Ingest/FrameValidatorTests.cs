using Assl.Model.Skeletons;
using Assl.Proto.V1;
using Assl.Stream.Ingest;
using ProtoLayout = Assl.Proto.V1.JointLayout;

namespace Assl.Stream.Tests.Ingest;

public sealed class FrameValidatorTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly FixedClock _clock = new(Now);

    private FrameValidator Validator(Model.Skeletons.JointLayout? model = null, int maxBodies = 6) =>
        new(model ?? JointLayouts.KinectV2, new IngestOptions { MaxBodiesPerFrame = maxBodies }, _clock);

    private static Body Body(ulong id, ProtoLayout layout = ProtoLayout.KinectV225, int values = -1, float offset = 0)
    {
        int joints = ProtoLayouts.ToModel(layout)?.JointCount ?? 25;
        var body = new Body { TrackingId = id, Layout = layout };
        body.Positions.AddRange(Enumerable.Range(0, values < 0 ? joints * 3 : values).Select(i => offset + i * 0.01f));
        return body;
    }

    private static SkeletonFrame Frame(long t, params Body[] bodies) =>
        new() { CameraId = "cam-1", TimestampUs = t, Bodies = { bodies } };

    [Fact]
    public void ValidFrameBecomesObservations()
    {
        var body = Body(7);
        body.Confidence.AddRange(Enumerable.Repeat(0.5f, 25));
        var result = Validator().Validate(Frame(1_000, body, Body(8, offset: 1)));

        Assert.True(result.FrameAccepted);
        Assert.Empty(result.Rejections);
        Assert.Equal(2, result.Bodies.Count);
        var obs = result.Bodies[0];
        Assert.Equal(("cam-1", 7ul, 1_000L), (obs.CameraId, obs.BodyId, obs.TimestampUs));
        Assert.Same(JointLayouts.KinectV2, obs.Layout);
        Assert.Equal(body.Positions, obs.Positions);
        Assert.Equal(25, obs.Confidence!.Length);
        Assert.Null(result.Bodies[1].Confidence);
        Assert.Equal(Now.ToUnixTimeMilliseconds() * 1000, obs.ReceivedUnixUs);
    }

    [Fact]
    public void ObservationOwnsItsPositions()
    {
        var body = Body(1);
        var obs = Validator().Validate(Frame(1, body)).Bodies[0];
        body.Positions[0] = 42;
        Assert.NotEqual(42, obs.Positions[0]);
    }

    [Fact]
    public void FrameWithoutBodiesIsAcceptedAndAdvancesTheClock()
    {
        var validator = Validator();
        var result = validator.Validate(Frame(5_000));
        Assert.True(result.FrameAccepted);
        Assert.Empty(result.Bodies);
        Assert.Empty(result.Rejections);
        Assert.Equal(RejectReason.DuplicateFrame, validator.Validate(Frame(5_000)).Rejections.Single().Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void MissingCameraIdRejectsTheFrame(string camera)
    {
        var result = Validator().Validate(new SkeletonFrame { CameraId = camera, TimestampUs = 1, Bodies = { Body(1) } });
        Assert.False(result.FrameAccepted);
        Assert.Empty(result.Bodies);
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal((RejectReason.MissingCameraId, 0ul), (rejection.Reason, rejection.BodyId));
    }

    [Fact]
    public void DuplicateAndBackwardsTimestampsAreFrameLevelAndDoNotMoveTheClock()
    {
        var validator = Validator();
        Assert.True(validator.Validate(Frame(2_000, Body(1))).FrameAccepted);

        var duplicate = validator.Validate(Frame(2_000, Body(1)));
        Assert.False(duplicate.FrameAccepted);
        Assert.Equal(RejectReason.DuplicateFrame, duplicate.Rejections.Single().Reason);

        var backwards = validator.Validate(Frame(1_500, Body(1)));
        var rejection = Assert.Single(backwards.Rejections);
        Assert.Equal((RejectReason.TimestampBackwards, 0ul, 1_500L), (rejection.Reason, rejection.BodyId, rejection.TimestampUs));
        Assert.Equal("camera cam-1: timestamp 1500 µs is 500 µs before the previous frame's 2000 µs.", rejection.Message);

        // The rejected frames left the clock at 2000, so 1900 is still backwards and 2001 is fine.
        Assert.False(validator.Validate(Frame(1_900)).FrameAccepted);
        Assert.True(validator.Validate(Frame(2_001)).FrameAccepted);
    }

    [Fact]
    public void CamerasHaveSeparateClocks()
    {
        var validator = Validator();
        Assert.True(validator.Validate(Frame(10_000)).FrameAccepted);
        Assert.True(validator.Validate(new SkeletonFrame { CameraId = "cam-2", TimestampUs = 10 }).FrameAccepted);
    }

    [Fact]
    public void WrongValueCountNamesLayoutAndExpectation()
    {
        var rejection = Validator().Validate(Frame(1, Body(3, values: 72))).Rejections.Single();
        Assert.Equal((RejectReason.WrongJointCount, 3ul), (rejection.Reason, rejection.BodyId));
        Assert.Equal("body 3: 72 values for kinect-v2-25, expected 75 = 25 joints × 3.", rejection.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void NonFinitePositionNamesJointAndAxis(float value, string shown)
    {
        var body = Body(3);
        body.Positions[4 * 3 + 1] = value;
        var rejection = Validator().Validate(Frame(1, body)).Rejections.Single();
        Assert.Equal(RejectReason.NonFinite, rejection.Reason);
        Assert.Equal($"body 3: joint 4 y is {shown}.", rejection.Message);
    }

    [Fact]
    public void OneBadBodyDoesNotRejectTheOthers()
    {
        var bad = Body(2);
        bad.Positions[0] = float.NaN;
        var result = Validator().Validate(Frame(1, Body(1), bad, Body(3)));
        Assert.True(result.FrameAccepted);
        Assert.Equal([1ul, 3ul], result.Bodies.Select(b => b.BodyId));
        Assert.Equal(2ul, result.Rejections.Single().BodyId);
    }

    [Theory]
    [InlineData(24, 0.5f, "body 1: 24 confidence values for kinect-v2-25, expected 0 or 25 (one per joint).")]
    [InlineData(25, 1.5f, "body 1: joint 0 confidence 1.5 is outside [0, 1].")]
    [InlineData(25, -0.1f, "body 1: joint 0 confidence -0.1 is outside [0, 1].")]
    [InlineData(25, float.NaN, "body 1: joint 0 confidence NaN is outside [0, 1].")]
    public void BadConfidenceIsRejected(int count, float first, string message)
    {
        var body = Body(1);
        body.Confidence.AddRange(Enumerable.Repeat(1f, count));
        body.Confidence[0] = first;
        var rejection = Validator().Validate(Frame(1, body)).Rejections.Single();
        Assert.Equal((RejectReason.BadConfidence, message), (rejection.Reason, rejection.Message));
    }

    [Fact]
    public void ConfidenceAtTheBoundsIsAccepted()
    {
        var body = Body(1);
        body.Confidence.AddRange(Enumerable.Range(0, 25).Select(j => j % 2 == 0 ? 0f : 1f));
        Assert.Single(Validator().Validate(Frame(1, body)).Bodies);
    }

    [Theory]
    [InlineData(ProtoLayout.Unspecified, "body 1: layout is unspecified; send one of KINECT_V1_20, KINECT_V2_25, AZURE_KINECT_32.")]
    [InlineData((ProtoLayout)99, "body 1: layout 99 is not one this server knows.")]
    public void UnknownLayoutIsRejected(ProtoLayout layout, string message)
    {
        var rejection = Validator().Validate(Frame(1, Body(1, layout, values: 75))).Rejections.Single();
        Assert.Equal((RejectReason.UnknownLayout, message), (rejection.Reason, rejection.Message));
    }

    [Fact]
    public void PoorerLayoutThanTheModelsIsNotMappable()
    {
        var result = Validator(JointLayouts.KinectV2).Validate(Frame(1, Body(1, ProtoLayout.KinectV120), Body(2, ProtoLayout.AzureKinect32)));
        var rejection = Assert.Single(result.Rejections);
        Assert.Equal((RejectReason.LayoutNotMappable, 1ul), (rejection.Reason, rejection.BodyId));
        Assert.Contains("kinect-v1-20 cannot be mapped onto the model's kinect-v2-25", rejection.Message);
        Assert.Same(JointLayouts.AzureKinect, result.Bodies.Single().Layout);
    }

    [Fact]
    public void BodiesPastTheLimitAreRejectedOneByOne()
    {
        var bodies = Enumerable.Range(1, 8).Select(i => Body((ulong)i)).ToArray();
        var result = Validator(maxBodies: 6).Validate(Frame(1, bodies));
        Assert.True(result.FrameAccepted);
        Assert.Equal(6, result.Bodies.Count);
        Assert.Equal([7ul, 8ul], result.Rejections.Select(r => r.BodyId));
        Assert.All(result.Rejections, r => Assert.Equal(RejectReason.TooManyBodies, r.Reason));
        Assert.Equal("body 7: frame has 8 bodies, at most 6 are accepted per frame.", result.Rejections[0].Message);
    }

    [Fact]
    public void RepeatedTrackingIdKeepsTheFirst()
    {
        var result = Validator().Validate(Frame(1, Body(5), Body(5, offset: 9)));
        Assert.Equal(0f, result.Bodies.Single().Positions[0]);
        Assert.Equal(RejectReason.DuplicateBody, result.Rejections.Single().Reason);
    }

    [Fact]
    public void OptionsValidatorRejectsZeroBodies()
    {
        var failed = new ValidateIngestOptions().Validate(null, new IngestOptions { MaxBodiesPerFrame = 0 });
        Assert.True(failed.Failed);
        Assert.True(new ValidateIngestOptions().Validate(null, new IngestOptions()).Succeeded);
    }
}
