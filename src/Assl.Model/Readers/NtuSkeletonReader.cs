using System.Globalization;
using Assl.Model.Skeletons;

namespace Assl.Model.Readers;

/// <summary>
/// Reads NTU RGB+D 60/120 <c>.skeleton</c> text files: a frame count; per frame a body count; per body
/// a 10-value line (tracking id first), a joint count (25) and 25 joint lines of 12 values
/// (x y z depthX depthY colorX colorY orientationW X Y Z trackingState).
/// </summary>
/// <remarks>
/// Keeps x, y, z (metres, Kinect v2 camera space) and maps trackingState 0/1/2 (not tracked, inferred,
/// tracked) to confidence 0/0.5/1. Each tracking id becomes its own <see cref="TrackedBody"/>, stamped
/// with frame index × 33 333 µs, so a body that leaves and returns shows the gap. Only the values Assl
/// keeps must be finite; the others need only be numbers, since NaN there harms nothing.
/// </remarks>
public sealed class NtuSkeletonReader : ISkeletonReader
{
    private const int BodyInfoValues = 10;
    private const int JointValues = 12;
    private static readonly JointLayout Layout = JointLayouts.KinectV2;

    public NtuSkeletonReader(long maxFileBytes = SkeletonReaders.DefaultMaxFileBytes)
    {
        SkeletonFiles.CheckLimit(maxFileBytes);
        MaxFileBytes = maxFileBytes;
    }

    public string FormatName => "ntu-skeleton";

    /// <summary>Files larger than this are refused before being read.</summary>
    public long MaxFileBytes { get; }

    public bool CanRead(string path) => SkeletonFiles.HasExtension(path, ".skeleton");

    public SkeletonRecording Read(string path)
    {
        SkeletonFiles.CheckSize(path, MaxFileBytes);
        using var text = new StreamReader(path);
        return Parse(text, path);
    }

    /// <summary>Parses NTU text from any reader; <paramref name="source"/> names it in errors.</summary>
    public static SkeletonRecording Parse(TextReader text, string source)
    {
        var lines = new TextLineCursor(text, source);
        Span<Range> tokens = stackalloc Range[JointValues + 1];
        int frameCount = lines.ReadCount("the frame count", 1, int.MaxValue);

        var bodies = new List<BodyAccumulator>();
        var byId = new Dictionary<ulong, BodyAccumulator>();
        var positions = new float[Layout.JointCount * 3];
        var confidence = new float[Layout.JointCount];
        for (int frame = 0; frame < frameCount; frame++)
        {
            long timestamp = frame * SkeletonSequence.DefaultFramePeriodMicros;
            // Kinect v2 tracks at most 6 bodies; a larger count means the file is misaligned.
            int bodyCount = lines.ReadCount($"the body count of frame {frame}", 0, 6);
            for (int b = 0; b < bodyCount; b++)
            {
                var info = lines.ReadTokens(tokens, BodyInfoValues, $"body info line of frame {frame}");
                if (!ulong.TryParse(info[tokens[0]], NumberStyles.None, CultureInfo.InvariantCulture, out ulong id))
                    throw lines.Error($"body tracking id \"{info[tokens[0]]}\" is not a 64-bit unsigned integer (frame {frame})");
                for (int i = 1; i < BodyInfoValues; i++)
                {
                    if (!TextLineCursor.TryParseNumber(info[tokens[i]], out _))
                        throw lines.NotANumber(info[tokens[i]], $"body info value {i} (frame {frame})");
                }

                // Messages are built once per body, not per joint: a 300-frame file has 7500 joint lines.
                string where = $"body {id} in frame {frame}";
                int joints = lines.ReadInt($"the joint count of {where}");
                if (joints != Layout.JointCount)
                    throw lines.Error($"expected {Layout.JointCount} joints (Kinect v2), got {joints} ({where})");
                string jointLine = $"joint line of {where}";
                for (int j = 0; j < joints; j++)
                {
                    var line = lines.ReadTokens(tokens, JointValues, jointLine);
                    for (int i = 0; i < JointValues - 1; i++)
                    {
                        var token = line[tokens[i]];
                        if (!TextLineCursor.TryParseNumber(token, out float v))
                            throw lines.NotANumber(token, $"value {i} of joint {j} ({where})");
                        if (i >= 3) continue;
                        if (!float.IsFinite(v))
                            throw lines.Error($"coordinate {i} of joint {j} is not finite: {token} ({where})");
                        positions[j * 3 + i] = v;
                    }
                    confidence[j] = line[tokens[JointValues - 1]] switch
                    {
                        "0" => 0f,
                        "1" => 0.5f,
                        "2" => 1f,
                        var s => throw lines.Error($"trackingState of joint {j} must be 0, 1 or 2, got \"{s}\" ({where})"),
                    };
                }

                if (!byId.TryGetValue(id, out var accumulator))
                {
                    accumulator = new BodyAccumulator(id.ToString(CultureInfo.InvariantCulture), Layout);
                    byId.Add(id, accumulator);
                    bodies.Add(accumulator);
                }
                else if (accumulator.LastFrame == frame)
                {
                    throw lines.Error($"body {id} appears twice in frame {frame}");
                }
                accumulator.Add(frame, timestamp, positions, confidence);
            }
        }
        lines.ExpectEnd();
        return new SkeletonRecording(source, Layout, bodies.Select(b => b.Build()).ToArray());
    }
}
