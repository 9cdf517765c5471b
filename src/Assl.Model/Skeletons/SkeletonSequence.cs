using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Skeletons;

/// <summary>
/// One tracked body over time: frames × joints × 3 positions (float32, row-major, in the layout's own
/// convention), a capture timestamp per frame, and optional per-joint confidence in [0, 1].
/// </summary>
/// <remarks>
/// Positions live in one flat array so that tensors are made with a single copy and frames are spans,
/// never per-element loops. Instances are immutable by convention: transforms return new sequences.
/// </remarks>
public sealed class SkeletonSequence
{
    /// <summary>Frame period used when a format carries no timestamps (Kinect v1/v2 run at 30 Hz).</summary>
    public const long DefaultFramePeriodMicros = 33_333;

    private readonly float[] _positions;
    private readonly long[] _timestampsMicros;
    private readonly float[]? _confidence;

    public SkeletonSequence(JointLayout layout, float[] positions, long[]? timestampsMicros = null, float[]? confidence = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(positions);
        int perFrame = layout.JointCount * 3;
        if (positions.Length % perFrame != 0)
            throw new ArgumentException(
                $"{positions.Length} values is not a whole number of {layout.JointCount}-joint frames.", nameof(positions));
        int frames = positions.Length / perFrame;
        if (frames == 0)
            throw new ArgumentException("A skeleton sequence needs at least one frame.", nameof(positions));
        timestampsMicros ??= Enumerable.Range(0, frames).Select(t => t * DefaultFramePeriodMicros).ToArray();
        if (timestampsMicros.Length != frames)
            throw new ArgumentException($"{timestampsMicros.Length} timestamps for {frames} frames.", nameof(timestampsMicros));
        if (confidence is not null && confidence.Length != frames * layout.JointCount)
            throw new ArgumentException($"{confidence.Length} confidences for {frames}×{layout.JointCount} joints.", nameof(confidence));
        int bad = Array.FindIndex(positions, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new ArgumentException(
                $"Non-finite coordinate {positions[bad]} at frame {bad / perFrame}, joint {bad % perFrame / 3}.", nameof(positions));

        Layout = layout;
        FrameCount = frames;
        _positions = positions;
        _timestampsMicros = timestampsMicros;
        _confidence = confidence;
    }

    public JointLayout Layout { get; }

    public int FrameCount { get; }

    public int JointCount => Layout.JointCount;

    /// <summary>All positions, frame-major: index = (t·J + j)·3 + axis.</summary>
    public ReadOnlySpan<float> Positions => _positions;

    public ReadOnlySpan<long> TimestampsMicros => _timestampsMicros;

    /// <summary>Per-joint confidence, frame-major (t·J + j), or null when the source has none.</summary>
    public float[]? Confidence => _confidence;

    public ReadOnlySpan<float> Frame(int t) => _positions.AsSpan(t * JointCount * 3, JointCount * 3);

    public Vector3Position Joint(int t, int j)
    {
        int i = (t * JointCount + j) * 3;
        return new Vector3Position(_positions[i], _positions[i + 1], _positions[i + 2]);
    }

    /// <summary>Copies the positions into a new array the caller owns.</summary>
    public float[] ToArray() => (float[])_positions.Clone();

    /// <summary>A (T, J, 3) float32 tensor holding a copy of the positions.</summary>
    public Tensor ToTensor(Device? device = null)
    {
        var tensor = torch.tensor(_positions, [FrameCount, JointCount, 3], ScalarType.Float32);
        return device is null || device.type == DeviceType.CPU ? tensor : MoveAndDispose(tensor, device);
    }

    /// <summary>Builds a sequence from a (T, J, 3) tensor of any device and float dtype.</summary>
    public static SkeletonSequence FromTensor(Tensor tensor, JointLayout layout, long[]? timestampsMicros = null)
    {
        if (tensor.dim() != 3 || tensor.shape[1] != layout.JointCount || tensor.shape[2] != 3)
            throw new ArgumentException(
                $"Expected a (T, {layout.JointCount}, 3) tensor, got ({string.Join(", ", tensor.shape)}).", nameof(tensor));
        using var cpu = tensor.detach().to(ScalarType.Float32).cpu().contiguous();
        return new SkeletonSequence(layout, cpu.data<float>().ToArray(), timestampsMicros);
    }

    /// <summary>Frames [start, start + count) as a new sequence.</summary>
    public SkeletonSequence Slice(int start, int count)
    {
        if (start < 0 || count <= 0 || start + count > FrameCount)
            throw new ArgumentOutOfRangeException(nameof(count), $"Frames [{start}, {start + count}) outside 0..{FrameCount}.");
        int perFrame = JointCount * 3;
        return new SkeletonSequence(
            Layout,
            _positions.AsSpan(start * perFrame, count * perFrame).ToArray(),
            _timestampsMicros.AsSpan(start, count).ToArray(),
            _confidence?.AsSpan(start * JointCount, count * JointCount).ToArray());
    }

    /// <summary>Mean frame rate from the timestamps, or 30 Hz for a single frame.</summary>
    public double FramesPerSecond =>
        FrameCount < 2 || _timestampsMicros[^1] <= _timestampsMicros[0]
            ? 1e6 / DefaultFramePeriodMicros
            : (FrameCount - 1) * 1e6 / (_timestampsMicros[^1] - _timestampsMicros[0]);

    private static Tensor MoveAndDispose(Tensor tensor, Device device)
    {
        using (tensor)
        {
            return tensor.to(device);
        }
    }
}

/// <summary>One joint position; a plain value so hot loops stay allocation-free.</summary>
public readonly record struct Vector3Position(float X, float Y, float Z);
