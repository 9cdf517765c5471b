using System.Globalization;
using System.Text.Json;
using Assl.Model.Skeletons;

namespace Assl.Model.Readers;

/// <summary>
/// Reads the JSON written by the Azure Kinect Body Tracking SDK's <c>k4abt_offline_processor</c>:
/// <c>{"joint_names": [32], "frames": [{"frame_id", "timestamp_usec", "num_bodies", "bodies":
/// [{"body_id", "joint_positions": [[x,y,z] × 32], "joint_orientations": [[w,x,y,z] × 32]}]}]}</c>.
/// </summary>
/// <remarks>
/// Positions stay in millimetres, depth-camera axes (+Y down), as <see cref="JointLayouts.AzureKinect"/>
/// declares; conversion to metres happens in <see cref="LayoutMapping"/>. Bodies are kept apart by
/// body_id and stamped with the frame's timestamp_usec. An optional per-body "confidence_level" array
/// (the SDK's 0 none … 3 high) becomes confidence level / 3. Orientations are checked, not kept.
/// </remarks>
public sealed class AzureKinectJsonReader : ISkeletonReader
{
    private static readonly JointLayout Layout = JointLayouts.AzureKinect;

    public AzureKinectJsonReader(long maxFileBytes = SkeletonReaders.DefaultMaxFileBytes)
    {
        SkeletonFiles.CheckLimit(maxFileBytes);
        MaxFileBytes = maxFileBytes;
    }

    public string FormatName => "azure-kinect-json";

    /// <summary>Files larger than this are refused before being read.</summary>
    public long MaxFileBytes { get; }

    public bool CanRead(string path) =>
        SkeletonFiles.HasExtension(path, ".json") && JsonFormatSniffer.Sniff(path) == SniffedJsonFormat.AzureKinect;

    public SkeletonRecording Read(string path) => Parse(SkeletonFiles.ReadAllBytes(path, MaxFileBytes), path);

    /// <summary>Parses offline-processor JSON already in memory; <paramref name="source"/> names it in errors.</summary>
    public static SkeletonRecording Parse(ReadOnlySpan<byte> utf8Json, string source)
    {
        var cursor = new JsonCursor(utf8Json, source);
        cursor.Read(JsonTokenType.StartObject, "a JSON object");
        long objectStart = cursor.Offset;
        List<BodyAccumulator>? bodies = null;
        while (cursor.NextProperty())
        {
            if (cursor.PropertyIs("joint_names"u8))
            {
                CheckJointNames(ref cursor);
            }
            else if (cursor.PropertyIs("frames"u8))
            {
                if (bodies is not null) throw cursor.Error("duplicate \"frames\"");
                bodies = ReadFrames(ref cursor);
            }
            else
            {
                cursor.SkipValue();
            }
        }
        cursor.ExpectEndOfDocument();
        if (bodies is null) throw cursor.Error(objectStart, "missing \"frames\"");
        return new SkeletonRecording(source, Layout, bodies.Select(b => b.Build()).ToArray());
    }

    /// <summary>The names are optional, but when present they must be the SDK's 32 in the SDK's order.</summary>
    private static void CheckJointNames(ref JsonCursor cursor)
    {
        cursor.Read(JsonTokenType.StartArray, "an array of names for \"joint_names\"");
        long start = cursor.Offset;
        int count = 0;
        while (cursor.NextItem())
        {
            long at = cursor.Offset;
            string name = cursor.GetString($"joint name {count}");
            if (count < Layout.JointCount && !string.Equals(name, Layout.JointNames[count], StringComparison.OrdinalIgnoreCase))
                throw cursor.Error(at, $"joint {count} is \"{name}\", expected \"{Layout.JointNames[count]}\" (Azure Kinect order)");
            count++;
        }
        if (count != Layout.JointCount)
            throw cursor.Error(start, $"expected {Layout.JointCount} joint names, got {count}");
    }

    private static List<BodyAccumulator> ReadFrames(ref JsonCursor cursor)
    {
        cursor.Read(JsonTokenType.StartArray, "an array for \"frames\"");
        long start = cursor.Offset;
        var bodies = new List<BodyAccumulator>();
        var byId = new Dictionary<long, BodyAccumulator>();
        var frameBodies = new List<FrameBody>();
        long frame = 0, previousTimestamp = long.MinValue;
        while (cursor.NextItem())
        {
            cursor.Expect(JsonTokenType.StartObject, $"frame {frame} as an object");
            long frameStart = cursor.Offset;
            long? timestamp = null;
            int? declaredBodies = null;
            bool hasBodies = false;
            frameBodies.Clear();
            // "bodies" may come before "timestamp_usec", so a frame's bodies wait here until it closes.
            while (cursor.NextProperty())
            {
                if (cursor.PropertyIs("timestamp_usec"u8))
                {
                    cursor.Read();
                    timestamp = cursor.GetInt64("\"timestamp_usec\"");
                }
                else if (cursor.PropertyIs("num_bodies"u8))
                {
                    cursor.Read();
                    declaredBodies = cursor.GetInt32("\"num_bodies\"");
                }
                else if (cursor.PropertyIs("frame_id"u8))
                {
                    cursor.Read();
                    cursor.GetInt64("\"frame_id\"");
                }
                else if (cursor.PropertyIs("bodies"u8))
                {
                    if (hasBodies) throw cursor.Error($"duplicate \"bodies\" in frame {frame}");
                    ReadBodies(ref cursor, frame, frameBodies);
                    hasBodies = true;
                }
                else
                {
                    cursor.SkipValue();
                }
            }
            if (timestamp is null) throw cursor.Error(frameStart, $"frame {frame} has no \"timestamp_usec\"");
            if (!hasBodies) throw cursor.Error(frameStart, $"frame {frame} has no \"bodies\"");
            if (declaredBodies is int n && n != frameBodies.Count)
                throw cursor.Error(frameStart, $"frame {frame} says num_bodies {n} but lists {frameBodies.Count}");
            if (timestamp <= previousTimestamp)
                throw cursor.Error(frameStart,
                    $"frame {frame} timestamp {timestamp} µs does not follow the previous one ({previousTimestamp} µs)");
            previousTimestamp = timestamp.Value;

            foreach (var body in frameBodies)
            {
                if (!byId.TryGetValue(body.Id, out var accumulator))
                {
                    accumulator = new BodyAccumulator(body.Id.ToString(CultureInfo.InvariantCulture), Layout);
                    byId.Add(body.Id, accumulator);
                    bodies.Add(accumulator);
                }
                accumulator.Add(frame, timestamp.Value, body.Positions, body.Confidence);
            }
            frame++;
        }
        if (frame == 0) throw cursor.Error(start, "\"frames\" holds no frames");
        return bodies;
    }

    private static void ReadBodies(ref JsonCursor cursor, long frame, List<FrameBody> into)
    {
        cursor.Read(JsonTokenType.StartArray, $"an array for \"bodies\" in frame {frame}");
        while (cursor.NextItem())
        {
            cursor.Expect(JsonTokenType.StartObject, $"a body object in frame {frame}");
            long bodyStart = cursor.Offset;
            long? id = null;
            float[]? positions = null;
            float[]? confidence = null;
            while (cursor.NextProperty())
            {
                if (cursor.PropertyIs("body_id"u8))
                {
                    cursor.Read();
                    id = cursor.GetInt64("\"body_id\"");
                }
                else if (cursor.PropertyIs("joint_positions"u8))
                {
                    positions = ReadJointVectors(ref cursor, 3, "joint_positions", frame);
                }
                else if (cursor.PropertyIs("joint_orientations"u8))
                {
                    ReadJointVectors(ref cursor, 4, "joint_orientations", frame);
                }
                else if (cursor.PropertyIs("confidence_level"u8))
                {
                    confidence = ReadConfidence(ref cursor, frame);
                }
                else
                {
                    cursor.SkipValue();
                }
            }
            if (id is null) throw cursor.Error(bodyStart, $"body in frame {frame} has no \"body_id\"");
            if (positions is null) throw cursor.Error(bodyStart, $"body {id} in frame {frame} has no \"joint_positions\"");
            if (into.Exists(b => b.Id == id))
                throw cursor.Error(bodyStart, $"body {id} appears twice in frame {frame}");
            into.Add(new FrameBody(id.Value, positions, confidence));
        }
    }

    /// <summary>Reads 32 arrays of <paramref name="width"/> finite numbers, flattened joint-major.</summary>
    private static float[] ReadJointVectors(ref JsonCursor cursor, int width, string property, long frame)
    {
        cursor.Read(JsonTokenType.StartArray, $"an array for \"{property}\"");
        long start = cursor.Offset;
        var values = new float[Layout.JointCount * width];
        int joints = 0;
        while (cursor.NextItem())
        {
            if (cursor.TokenType != JsonTokenType.StartArray)
                throw cursor.Unexpected($"joint {joints} of \"{property}\" as an array");
            long jointStart = cursor.Offset;
            int count = 0;
            while (cursor.NextItem())
            {
                if (!cursor.TryGetFiniteFloat(out float v))
                    throw cursor.NumberError($"value {count} of joint {joints} in \"{property}\"");
                if (count < width && joints < Layout.JointCount) values[joints * width + count] = v;
                count++;
            }
            if (count != width)
                throw cursor.Error(jointStart,
                    $"expected {width} values per joint in \"{property}\", got {count} (frame {frame}, joint {joints})");
            joints++;
        }
        if (joints != Layout.JointCount)
            throw cursor.Error(start,
                $"expected {Layout.JointCount} joints in \"{property}\" (Azure Kinect), got {joints} (frame {frame})");
        return values;
    }

    private static float[] ReadConfidence(ref JsonCursor cursor, long frame)
    {
        cursor.Read(JsonTokenType.StartArray, "an array for \"confidence_level\"");
        long start = cursor.Offset;
        var values = new float[Layout.JointCount];
        int joints = 0;
        while (cursor.NextItem())
        {
            if (!cursor.TryGetFiniteFloat(out float level) || level is not (0 or 1 or 2 or 3))
                throw cursor.Error($"confidence_level of joint {joints} must be 0, 1, 2 or 3 (frame {frame})");
            if (joints < values.Length) values[joints] = level / 3f;
            joints++;
        }
        if (joints != Layout.JointCount)
            throw cursor.Error(start,
                $"expected {Layout.JointCount} values in \"confidence_level\", got {joints} (frame {frame})");
        return values;
    }

    private readonly record struct FrameBody(long Id, float[] Positions, float[]? Confidence);
}
