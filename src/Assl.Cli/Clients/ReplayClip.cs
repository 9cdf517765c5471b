using Assl.Model.Datasets;
using Assl.Model.Readers;
using Assl.Model.Skeletons;
using Assl.Proto.V1;
using Assl.Stream.Ingest;

namespace Assl.Cli.Clients;

/// <summary>
/// A recording laid out as the frames a camera would send: one frame per distinct timestamp, holding
/// every body seen at that instant. Bodies keep their own sequences, so a body that enters late or
/// leaves early is simply absent from the frames around it.
/// </summary>
public sealed class ReplayClip
{
    private readonly (int Body, int Frame)[][] _frames;

    private ReplayClip(string path, IReadOnlyList<TrackedBody> bodies, Assl.Model.Skeletons.JointLayout layout, int? classIndex)
    {
        Path = path;
        Name = System.IO.Path.GetFileNameWithoutExtension(path);
        Bodies = bodies;
        WireLayout = ProtoLayouts.ToProto(layout);
        ClassIndex = classIndex;
        BaseIds = bodies.Select(b => BodyIds.FromTrackingId(b.BodyId)).ToArray();

        // Merge the bodies' timelines: each distinct timestamp becomes one frame.
        var byTime = new SortedDictionary<long, List<(int, int)>>();
        for (int b = 0; b < bodies.Count; b++)
        {
            var stamps = bodies[b].Sequence.TimestampsMicros;
            for (int t = 0; t < stamps.Length; t++)
            {
                if (!byTime.TryGetValue(stamps[t], out var list)) byTime[stamps[t]] = list = [];
                list.Add((b, t));
            }
        }
        if (byTime.Count == 0) throw new InvalidDataException($"{path} holds no frames.");
        long first = byTime.Keys.First();
        OffsetsUs = byTime.Keys.Select(k => k - first).ToArray();
        _frames = byTime.Values.Select(v => v.ToArray()).ToArray();
    }

    public string Path { get; }
    public string Name { get; }
    public IReadOnlyList<TrackedBody> Bodies { get; }
    public Assl.Proto.V1.JointLayout WireLayout { get; }

    /// <summary>The true class when the file is labelled (N-UCLA), else null.</summary>
    public int? ClassIndex { get; }

    /// <summary>Each body's wire id in the clip's first play.</summary>
    public IReadOnlyList<ulong> BaseIds { get; }

    /// <summary>Frame times relative to the first frame, strictly increasing.</summary>
    public IReadOnlyList<long> OffsetsUs { get; }

    public int FrameCount => _frames.Length;

    /// <summary>Frames of the longest body: what the model can see of this clip at most.</summary>
    public int LongestBodyFrames => Bodies.Max(b => b.Sequence.FrameCount);

    public static ReplayClip Load(string path)
    {
        var recording = SkeletonReaders.Read(path);
        if (recording.Bodies.Count == 0) throw new InvalidDataException($"{path} holds no bodies.");
        int? classIndex = recording.Label is { } label && label is >= 1 and <= NuclaClasses.Count ? NuclaClasses.IndexOfLabel(label) : null;
        return new ReplayClip(path, recording.Bodies, recording.Layout, classIndex);
    }

    /// <summary>Frame <paramref name="index"/> stamped <paramref name="timestampUs"/>, bodies carrying <paramref name="wireIds"/>.</summary>
    public SkeletonFrame Frame(int index, string cameraId, long timestampUs, IReadOnlyList<ulong> wireIds)
    {
        var frame = new SkeletonFrame { CameraId = cameraId, TimestampUs = timestampUs };
        foreach (var (b, t) in _frames[index])
        {
            var sequence = Bodies[b].Sequence;
            var body = new Body { TrackingId = wireIds[b], Layout = WireLayout };
            body.Positions.AddRange(sequence.Frame(t).ToArray());
            if (sequence.Confidence is { } confidence)
                body.Confidence.AddRange(confidence.AsSpan(t * sequence.JointCount, sequence.JointCount).ToArray());
            frame.Bodies.Add(body);
        }
        return frame;
    }

    /// <summary>Every skeleton file under the given files and folders (recursively), sorted by path.</summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".skeleton", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal));
            else if (File.Exists(input))
                files.Add(input);
            else
                throw new FileNotFoundException($"No such file or folder: {input}", input);
        }
        if (files.Count == 0) throw new ArgumentException($"No .json or .skeleton files in {string.Join(", ", inputs)}.");
        return files;
    }
}
