using System.Text;
using Assl.Model.Readers;
using Assl.Model.Skeletons;
using Frame = Assl.Model.Tests.Readers.AzureKinectFileBuilder.Frame;

namespace Assl.Model.Tests.Readers;

public sealed class AzureKinectJsonReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Frames: 0 {1}, 1 {1, 2}, 2 {}, 3 {2, 1}; timestamps as the SDK writes them (device clock, ~30 Hz).
    private static string TwoBodies(bool withConfidence = false) => AzureKinectFileBuilder.Build(withConfidence,
        new Frame(233_344, 1), new Frame(266_677, 1, 2), new Frame(300_011), new Frame(333_344, 2, 1));

    [Fact]
    public void KeepsBodiesApartWithDeviceTimestamps()
    {
        var recording = new AzureKinectJsonReader().Read(_temp.Write("take1.json", TwoBodies()));

        Assert.Same(JointLayouts.AzureKinect, recording.Layout);
        Assert.Equal(["1", "2"], recording.Bodies.Select(b => b.BodyId));
        var one = recording.Bodies[0].Sequence;
        Assert.Equal([233_344L, 266_677, 333_344], one.TimestampsMicros.ToArray());
        // Millimetres, as the layout's convention says: no unit conversion in the reader.
        Assert.Equal(new Vector3Position(30, 31, 1001.5f), one.Joint(2, 31));
        Assert.Null(one.Confidence);
        var two = recording.Bodies[1].Sequence;
        Assert.Equal([266_677L, 333_344], two.TimestampsMicros.ToArray());
        Assert.Equal(new Vector3Position(10, 4, 1002.5f), two.Joint(0, 4));
    }

    [Fact]
    public void ReadsOptionalConfidenceLevels()
    {
        var recording = AzureKinectJsonReader.Parse(Encoding.UTF8.GetBytes(TwoBodies(withConfidence: true)), "mem");
        var confidence = recording.Bodies[0].Sequence.Confidence;
        Assert.NotNull(confidence);
        Assert.Equal([0f, 1f / 3, 2f / 3, 1f, 0f], confidence!.Take(5));
        Assert.Equal(3 * 32, confidence.Length);
    }

    public static TheoryData<string, string, string> BrokenFiles()
    {
        string valid = TwoBodies();
        string FirstPosition(string replacement) => ReplaceFirst(valid, "[0.0, 2.0, 1001.5]", replacement);
        return new()
        {
            { valid[..(valid.Length / 2)], "", "unexpected end of file" },
            { ReplaceFirst(valid, "[0.0, 31.0, 1001.5]", "").Replace(", ]", "]"), "[[0.0, 0.0, 1001.5]", "expected 32 joints in \"joint_positions\" (Azure Kinect), got 31 (frame 0)" },
            { FirstPosition("[0.0, \"two\", 1001.5]"), "\"two\"", "expected a number for value 1 of joint 2 in \"joint_positions\", got string \"two\"" },
            { FirstPosition("[0.0, NaN, 1001.5]"), "NaN", "malformed JSON" },
            { FirstPosition("[0.0, 2e999, 1001.5]"), "2e999", "not a finite 32-bit number: 2e999" },
            { FirstPosition("[0.0, 2.0]"), "[0.0, 2.0]", "expected 3 values per joint in \"joint_positions\", got 2 (frame 0, joint 2)" },
            { ReplaceFirst(valid, "\"timestamp_usec\": 266677", "\"timestamp_usec\": 200000"), "", "frame 1 timestamp 200000 µs does not follow" },
            { ReplaceFirst(valid, "\"num_bodies\": 2", "\"num_bodies\": 3"), "", "frame 1 says num_bodies 3 but lists 2" },
            { ReplaceFirst(valid, "\"HEAD\"", "\"NOSE\""), "\"NOSE\"", "joint 26 is \"NOSE\", expected \"HEAD\"" },
            { valid.Replace("\"frames\"", "\"frames_renamed\""), "", "missing \"frames\"" },
            { ReplaceFirst(valid, "\"body_id\": 2", "\"body_id\": 1"), "", "body 1 appears twice in frame 1" },
            { ReplaceFirst(TwoBodies(withConfidence: true), "\"confidence_level\": [0, 1", "\"confidence_level\": [0, 4"), "", "confidence_level of joint 1 must be 0, 1, 2 or 3 (frame 0)" },
            { ReplaceFirst(valid, "\"body_id\": 1,", ""), "", "body in frame 0 has no \"body_id\"" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void RejectsBrokenFileAtTheRightByte(string content, string badToken, string expected)
    {
        var path = _temp.Write("broken.json", content);
        var ex = Assert.Throws<SkeletonFormatException>(() => new AzureKinectJsonReader().Read(path));
        Assert.Equal(path, ex.File);
        Assert.Contains(expected, ex.Problem);
        Assert.StartsWith("byte ", ex.Position);
        if (badToken.Length > 0)
        {
            int expectedOffset = Encoding.UTF8.GetByteCount(content[..content.IndexOf(badToken, StringComparison.Ordinal)]);
            Assert.Equal($"byte {expectedOffset}", ex.Position);
        }
    }

    [Fact]
    public void MalformedJsonOnALaterLineReportsTheAbsoluteByte()
    {
        string content = ReplaceFirst(TwoBodies(), "[0.0, 2.0, 1001.5]", "[0.0, NaN, 1001.5]");
        var ex = Assert.Throws<SkeletonFormatException>(() => AzureKinectJsonReader.Parse(Encoding.UTF8.GetBytes(content), "x.json"));
        // The reader stops at the 'N' of NaN, several lines into the pretty-printed file.
        Assert.Equal($"byte {content.IndexOf("NaN", StringComparison.Ordinal)}", ex.Position);
    }

    private static string ReplaceFirst(string s, string what, string with)
    {
        int at = s.IndexOf(what, StringComparison.Ordinal);
        Assert.True(at >= 0, $"test data lacks {what}");
        return string.Concat(s.AsSpan(0, at), with, s.AsSpan(at + what.Length));
    }
}
