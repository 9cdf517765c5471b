using System.Globalization;
using System.Text;
using System.Text.Json;
using Assl.Model.Readers;
using Assl.Model.Skeletons;
using Assl.Tests;

namespace Assl.Model.Tests.Readers;

public sealed class NuclaJsonReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A valid N-UCLA file: joint j of frame t at (t, j, t.jj).</summary>
    private static string Valid(int frames = 3, int label = 1, string name = "a01_s01_e00_v01")
    {
        var sb = new StringBuilder($"{{\"file_name\": \"{name}\", \"skeletons\": [");
        for (int t = 0; t < frames; t++)
        {
            sb.Append(t == 0 ? "[" : ", [");
            for (int j = 0; j < 20; j++)
                sb.Append(CultureInfo.InvariantCulture, $"{(j == 0 ? "" : ", ")}[{t}, {j}, {t}.{j:D2}]");
            sb.Append(']');
        }
        return sb.Append(CultureInfo.InvariantCulture, $"], \"label\": {label}}}").ToString();
    }

    [Fact]
    public void ReadsValidFile()
    {
        var path = _temp.Write("a01_s01_e00_v01.json", Valid(frames: 3, label: 1));
        var recording = new NuclaJsonReader().Read(path);

        Assert.Same(JointLayouts.KinectV1, recording.Layout);
        Assert.Equal(1, recording.Label);
        var body = Assert.Single(recording.Bodies);
        Assert.Equal("0", body.BodyId);
        Assert.Equal(3, body.Sequence.FrameCount);
        Assert.Equal(new Vector3Position(2, 7, 2.07f), body.Sequence.Joint(2, 7));
        Assert.Equal([0L, 33_333, 66_666], body.Sequence.TimestampsMicros.ToArray());
        Assert.Null(body.Sequence.Confidence);
    }

    [Fact]
    public void ReadsSingleFrameAndTakesBom()
    {
        var bytes = Encoding.UTF8.Preamble.ToArray().Concat(Encoding.UTF8.GetBytes(Valid(frames: 1))).ToArray();
        var recording = NuclaJsonReader.Parse(bytes, "mem");
        Assert.Equal(1, recording.MainBody.Sequence.FrameCount);
    }

    public static TheoryData<string, string, string> BrokenFiles()
    {
        string valid = Valid(frames: 2);
        return new()
        {
            // name, content, expected message fragment
            { "truncated", valid[..(valid.Length / 2)], "unexpected end of file" },
            { "nan-string", valid.Replace("[1, 3, 1.03]", "[1, \"NaN\", 1.03]"), "got string \"NaN\"" },
            { "overflow", valid.Replace("[1, 3, 1.03]", "[1, 1e999, 1.03]"), "not a finite 32-bit number: 1e999" },
            { "two-coordinates", valid.Replace("[0, 1, 0.01]", "[0, 1]"), "expected 3 coordinates per joint, got 2 (frame 0, joint 1)" },
            { "nineteen-joints", valid.Replace("[1, 19, 1.19]", "").Replace(", ]", "]"), "expected 20 joints per frame (Kinect v1), got 19 (frame 1)" },
            { "no-skeletons", "{\"file_name\": \"a01_s01_e00_v01\", \"label\": 1}", "missing \"skeletons\"" },
            { "no-label", valid.Replace(", \"label\": 1", ""), "missing \"label\"" },
            { "non-number", valid.Replace("[1, 3, 1.03]", "[1, true, 1.03]"), "expected a number for coordinate 1 of joint 3 in frame 1, got true" },
            { "zero-frames", "{\"file_name\": \"a01_s01_e00_v01\", \"skeletons\": [], \"label\": 1}", "\"skeletons\" holds no frames" },
            { "not-json", "hello", "malformed JSON" },
            { "trailing", valid + " {}", "after the end of the JSON document" },
        };
    }

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void RejectsBrokenFileNamingFileAndByte(string name, string content, string expected)
    {
        var path = _temp.Write(name + ".json", content);
        var ex = Assert.Throws<SkeletonFormatException>(() => new NuclaJsonReader().Read(path));

        Assert.Equal(path, ex.File);
        Assert.StartsWith("byte ", ex.Position);
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith($"{path}: byte ", ex.Message);
        long offset = long.Parse(ex.Position["byte ".Length..], CultureInfo.InvariantCulture);
        Assert.InRange(offset, 0, Encoding.UTF8.GetByteCount(content));
    }

    [Fact]
    public void ErrorOffsetPointsAtTheBadToken()
    {
        string content = Valid(frames: 2).Replace("[1, 3, 1.03]", "[1, \"NaN\", 1.03]");
        var ex = Assert.Throws<SkeletonFormatException>(() => NuclaJsonReader.Parse(Encoding.UTF8.GetBytes(content), "x.json"));
        Assert.Equal($"byte {content.IndexOf("\"NaN\"", StringComparison.Ordinal)}", ex.Position);

        content = Valid(frames: 2).Replace("[0, 1, 0.01]", "[0, 1]");
        ex = Assert.Throws<SkeletonFormatException>(() => NuclaJsonReader.Parse(Encoding.UTF8.GetBytes(content), "x.json"));
        Assert.Equal($"byte {content.IndexOf("[0, 1]", StringComparison.Ordinal)}", ex.Position);
    }

    [Fact]
    public void TruncationIsReportedAtTheEndOfTheData()
    {
        string content = Valid(frames: 2);
        content = content[..(content.Length - 40)];
        var ex = Assert.Throws<SkeletonFormatException>(() => NuclaJsonReader.Parse(Encoding.UTF8.GetBytes(content), "x.json"));
        Assert.Contains("truncated", ex.Problem);
        Assert.IsAssignableFrom<JsonException>(ex.InnerException);
    }

    [Fact]
    public void RefusesOversizedFile()
    {
        var path = _temp.Write("a01_s01_e00_v01.json", Valid(frames: 3));
        var ex = Assert.Throws<SkeletonFormatException>(() => new NuclaJsonReader(maxFileBytes: 100).Read(path));
        Assert.Equal("file size", ex.Position);
        Assert.Contains("over the 100-byte limit", ex.Problem);
    }

    [SkippableFact]
    public void RealFileMatchesIndependentParse()
    {
        var path = Path.Combine(RealData.NuclaDirectory, "a05_s03_e01_v02.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var skeletons = doc.RootElement.GetProperty("skeletons");
        var recording = new NuclaJsonReader().Read(path);

        var sequence = recording.MainBody.Sequence;
        Assert.Equal(skeletons.GetArrayLength(), sequence.FrameCount);
        Assert.Equal(28, sequence.FrameCount);
        Assert.Equal(doc.RootElement.GetProperty("label").GetInt32(), recording.Label);
        var first = skeletons[0][0];
        Assert.Equal(new Vector3Position(first[0].GetSingle(), first[1].GetSingle(), first[2].GetSingle()), sequence.Joint(0, 0));
        Assert.Equal(new Vector3Position(0.182058f, 0.261119f, 2.57604f), sequence.Joint(0, 0));
        var last = skeletons[27][19];
        Assert.Equal(new Vector3Position(last[0].GetSingle(), last[1].GetSingle(), last[2].GetSingle()), sequence.Joint(27, 19));
    }
}
