using System.Text.Json;
using Assl.Model.Skeletons;

namespace Assl.Model.Readers;

/// <summary>
/// Reads the N-UCLA "all_sqe" JSON files: <c>{"file_name": "a01_s01_e00_v01", "skeletons": [frame, …],
/// "label": 1}</c>, each frame 20 Kinect v1 joints as <c>[x, y, z]</c> in metres, one body.
/// </summary>
/// <remarks>
/// The recording has one body with id "0", timestamps at 30 Hz (the files carry none), and
/// <see cref="SkeletonRecording.Label"/> exactly as stored: 1-based, 1..10 in N-UCLA's class order.
/// Turning it into a 0-based class index and checking it against the file name is the dataset's job
/// (<see cref="Datasets.NuclaClasses"/>). Unknown properties are skipped; "file_name", "skeletons" and
/// "label" are required.
/// </remarks>
public sealed class NuclaJsonReader : ISkeletonReader
{
    private static readonly JointLayout Layout = JointLayouts.KinectV1;

    public NuclaJsonReader(long maxFileBytes = SkeletonReaders.DefaultMaxFileBytes)
    {
        SkeletonFiles.CheckLimit(maxFileBytes);
        MaxFileBytes = maxFileBytes;
    }

    public string FormatName => "nucla-json";

    /// <summary>Files larger than this are refused before being read.</summary>
    public long MaxFileBytes { get; }

    public bool CanRead(string path) =>
        SkeletonFiles.HasExtension(path, ".json") && JsonFormatSniffer.Sniff(path) == SniffedJsonFormat.Nucla;

    public SkeletonRecording Read(string path) => Parse(SkeletonFiles.ReadAllBytes(path, MaxFileBytes), path);

    /// <summary>Parses N-UCLA JSON already in memory; <paramref name="source"/> names it in errors.</summary>
    public static SkeletonRecording Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        var cursor = new JsonCursor(utf8Json, source);
        cursor.Read(JsonTokenType.StartObject, "a JSON object");
        long objectStart = cursor.Offset;
        bool hasFileName = false;
        int? label = null;
        float[]? positions = null;
        while (cursor.NextProperty())
        {
            if (cursor.PropertyIs("file_name"u8))
            {
                if (hasFileName) throw cursor.Error("duplicate \"file_name\"");
                cursor.Read();
                cursor.GetString("\"file_name\"");
                hasFileName = true;
            }
            else if (cursor.PropertyIs("skeletons"u8))
            {
                if (positions is not null) throw cursor.Error("duplicate \"skeletons\"");
                // ~9 bytes of text per coordinate in these files; a close guess saves the list's regrowth.
                positions = ReadFrames(ref cursor, utf8Json.Length / 9);
            }
            else if (cursor.PropertyIs("label"u8))
            {
                if (label is not null) throw cursor.Error("duplicate \"label\"");
                cursor.Read();
                label = cursor.GetInt32("\"label\"");
            }
            else
            {
                cursor.SkipValue();
            }
        }
        cursor.ExpectEndOfDocument();

        if (!hasFileName) throw cursor.Error(objectStart, "missing \"file_name\"");
        if (positions is null) throw cursor.Error(objectStart, "missing \"skeletons\"");
        if (label is null) throw cursor.Error(objectStart, "missing \"label\"");
        var sequence = new SkeletonSequence(Layout, positions);
        return new SkeletonRecording(source, Layout, [new TrackedBody("0", sequence)], label);
    }

    private static float[] ReadFrames(ref JsonCursor cursor, int capacityGuess)
    {
        cursor.Read(JsonTokenType.StartArray, "an array of frames for \"skeletons\"");
        long start = cursor.Offset;
        var values = new List<float>(capacityGuess);
        int frames = 0;
        while (cursor.NextItem())
        {
            if (cursor.TokenType != JsonTokenType.StartArray) throw cursor.Unexpected($"frame {frames} as an array of joints");
            long frameStart = cursor.Offset;
            int joints = 0;
            while (cursor.NextItem())
            {
                if (cursor.TokenType != JsonTokenType.StartArray)
                    throw cursor.Unexpected($"joint {joints} of frame {frames} as [x, y, z]");
                long jointStart = cursor.Offset;
                int coordinates = 0;
                while (cursor.NextItem())
                {
                    if (!cursor.TryGetFiniteFloat(out float v))
                        throw cursor.NumberError($"coordinate {coordinates} of joint {joints} in frame {frames}");
                    values.Add(v);
                    coordinates++;
                }
                if (coordinates != 3)
                    throw cursor.Error(jointStart,
                        $"expected 3 coordinates per joint, got {coordinates} (frame {frames}, joint {joints})");
                joints++;
            }
            if (joints != Layout.JointCount)
                throw cursor.Error(frameStart,
                    $"expected {Layout.JointCount} joints per frame (Kinect v1), got {joints} (frame {frames})");
            frames++;
        }
        if (frames == 0) throw cursor.Error(start, "\"skeletons\" holds no frames");
        return values.ToArray();
    }
}
