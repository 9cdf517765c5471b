using Assl.Model.Readers;
using Assl.Model.Skeletons;

namespace Assl.Model.Tests.Readers;

public sealed class NtuSkeletonReaderTests : IDisposable
{
    private const ulong A = 72057594037931101;
    private const ulong B = 72057594037931102;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Frames: 0 {A}, 1 {A, B}, 2 {}, 3 {B, A}.
    private static string TwoBodies() => NtuFileBuilder.Build([A], [A, B], [], [B, A]);

    [Fact]
    public void KeepsBodiesApartWithTheirOwnTimestamps()
    {
        var recording = new NtuSkeletonReader().Read(_temp.Write("S001C001P001R001A001.skeleton", TwoBodies()));

        Assert.Same(JointLayouts.KinectV2, recording.Layout);
        Assert.Null(recording.Label);
        Assert.Equal([A.ToString(), B.ToString()], recording.Bodies.Select(b => b.BodyId));

        var a = recording.Bodies[0].Sequence;
        Assert.Equal(3, a.FrameCount);
        Assert.Equal([0L, 33_333, 99_999], a.TimestampsMicros.ToArray());
        Assert.Equal(new Vector3Position(3, 24, A % 1000), a.Joint(2, 24));

        var b = recording.Bodies[1].Sequence;
        Assert.Equal([33_333L, 99_999], b.TimestampsMicros.ToArray());
        Assert.Equal(new Vector3Position(1, 5, B % 1000), b.Joint(0, 5));
        Assert.Same(recording.Bodies[0], recording.MainBody);
    }

    [Fact]
    public void MapsTrackingStateToConfidence()
    {
        var body = NtuSkeletonReader.Parse(new StringReader(TwoBodies()), "mem").Bodies[0].Sequence;
        Assert.NotNull(body.Confidence);
        Assert.Equal([0f, 0.5f, 1f, 0f], body.Confidence!.Take(4));
    }

    [Fact]
    public void FramesWithoutBodiesGiveAnEmptyRecording()
    {
        var recording = NtuSkeletonReader.Parse(new StringReader("2\n0\n0\n"), "mem");
        Assert.Empty(recording.Bodies);
    }

    public static TheoryData<string, string, string> BrokenFiles()
    {
        string valid = TwoBodies();
        string[] lines = valid.Split('\n');
        // Line numbers (1-based): 1 frame count, 2 body count, 3 body info, 4 joint count, 5..29 joints of A in frame 0.
        string Replace(int line, string text)
        {
            var copy = (string[])lines.Clone();
            copy[line - 1] = text;
            return string.Join('\n', copy);
        }
        return new()
        {
            { string.Join('\n', lines[..40]), "line 41", "unexpected end of file" },
            { Replace(4, "24"), "line 4", "expected 25 joints (Kinect v2), got 24" },
            { Replace(7, "0 2 abc 277 191 1036 519 -0.2 0.05 0.97 -0.12 2"), "line 7", "value 2 of joint 2 (body 72057594037931101 in frame 0) is not a number: \"abc\"" },
            { Replace(8, "0 3 NaN 277 191 1036 519 -0.2 0.05 0.97 -0.12 2"), "line 8", "coordinate 2 of joint 3 is not finite: NaN" },
            { Replace(9, "0 4 1e39 277 191 1036 519 -0.2 0.05 0.97 -0.12 2"), "line 9", "not finite" },
            { Replace(10, "0 5 0 277 191 1036 519 -0.2 0.05 0.97 2"), "line 10", "expected 12 values in the joint line of body 72057594037931101 in frame 0, got 11" },
            { Replace(11, "0 6 0 277 191 1036 519 -0.2 0.05 0.97 -0.12 2 7"), "line 11", "got more" },
            { Replace(12, "0 7 0 277 191 1036 519 -0.2 0.05 0.97 -0.12 5"), "line 12", "trackingState of joint 7 must be 0, 1 or 2" },
            { Replace(3, "x12 0 1 1 1 1 0 0.02 0.05 2"), "line 3", "tracking id \"x12\"" },
            { Replace(1, "three"), "line 1", "expected an integer for the frame count" },
            { Replace(1, "0"), "line 1", "the frame count 0 is outside 1.." },
            { Replace(1, "3"), "line 86", "unexpected content after the last frame" },
            { NtuFileBuilder.Build([A, A]), "line 56", $"body {A} appears twice in frame 0" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void RejectsBrokenFileWithLineNumber(string content, string position, string expected)
    {
        var path = _temp.Write("broken.skeleton", content);
        var ex = Assert.Throws<SkeletonFormatException>(() => new NtuSkeletonReader().Read(path));
        Assert.Equal(path, ex.File);
        Assert.Equal(position, ex.Position);
        Assert.Contains(expected, ex.Problem);
    }
}
