using Assl.Model.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Augments a batch (N, T, J·3) as tensors on its own device: random rotation, scale, temporal crop
/// (resampled back to T by linear interpolation), jitter and body-part masking. Random numbers come
/// from a seeded <see cref="Random"/>, so a run repeats exactly on any device.
/// </summary>
public sealed class TensorAugmenter(AugmentationConfig config, IReadOnlyList<int[]> bodyParts)
{
    public Tensor Apply(Tensor batch, Random rng)
    {
        // batch: (N, T, C) with C = J·3
        using var scope = NewDisposeScope();
        long n = batch.shape[0], frames = batch.shape[1], channels = batch.shape[2];
        var device = batch.device;
        var x = batch;

        if (config.CropMin < 1)
            x = TemporalCrop(x, rng);

        var rotation = new float[n * 9];
        var scales = new float[n];
        for (int i = 0; i < n; i++)
        {
            RotationMatrix(Radians(config.YawDegrees, rng), Radians(config.TiltDegrees, rng), Radians(config.TiltDegrees, rng))
                .CopyTo(rotation, i * 9);
            scales[i] = (float)(config.ScaleMin + rng.NextDouble() * (config.ScaleMax - config.ScaleMin));
        }
        var r = tensor(rotation, [n, 3, 3]).to(device);
        var s = tensor(scales, [n, 1, 1]).to(device);
        x = Rotate(x, r).mul(s);

        if (config.Jitter > 0)
        {
            using var g = new Generator((ulong)rng.NextInt64(), CPU);
            x = x.Plus(randn([n, frames, channels], generator: g).Times(config.Jitter).to(device));
        }

        if (config.MaskPartProbability > 0 && bodyParts.Count > 0)
        {
            var keep = new float[n * channels];
            Array.Fill(keep, 1f);
            for (int i = 0; i < n; i++)
            {
                if (rng.NextDouble() >= config.MaskPartProbability) continue;
                foreach (int j in bodyParts[rng.Next(bodyParts.Count)])
                    keep.AsSpan((int)(i * channels + j * 3), 3).Clear();
            }
            x = x.mul(tensor(keep, [n, 1, channels]).to(device));
        }
        return x.MoveToOuterDisposeScope();
    }

    private Tensor TemporalCrop(Tensor x, Random rng)
    {
        long n = x.shape[0], frames = x.shape[1];
        // For each sample, fractional source positions of the T output frames inside its crop.
        var positions = new float[n * frames];
        for (int i = 0; i < n; i++)
        {
            double keep = config.CropMin + rng.NextDouble() * (1 - config.CropMin);
            double length = Math.Max(1, keep * (frames - 1));
            double start = rng.NextDouble() * (frames - 1 - length);
            for (int t = 0; t < frames; t++)
                positions[i * frames + t] = (float)(start + t * length / (frames - 1));
        }
        return Resample(x, tensor(positions, [n, frames]).to(x.device));
    }

    /// <summary>
    /// Every sample's joints rotated by its own matrix: <paramref name="batch"/> (N, T, J·3), <paramref name="rotations"/>
    /// (N, 3, 3), row-major as <see cref="RotationMatrix"/> builds them.
    /// </summary>
    internal static Tensor Rotate(Tensor batch, Tensor rotations)
    {
        long n = batch.shape[0], frames = batch.shape[1], channels = batch.shape[2];
        // Points are rows, so p' = p · Rᵀ, batched over samples.
        return batch.reshape(n, frames * channels / 3, 3).bmm(rotations.transpose(1, 2)).reshape(n, frames, channels);
    }

    /// <summary>
    /// <paramref name="batch"/> (N, T, C) read at fractional frame <paramref name="positions"/> (N, T'), each between
    /// its two neighbouring frames by linear interpolation: (N, T', C).
    /// </summary>
    internal static Tensor Resample(Tensor batch, Tensor positions)
    {
        using var scope = NewDisposeScope();
        long frames = batch.shape[1];
        var lower = positions.floor().Clamp(0, frames - 1);
        var upper = lower.Plus(1).Clamp(0, frames - 1);
        var weight = (positions - lower).unsqueeze(-1);
        var lo = batch.gather(1, lower.to(ScalarType.Int64).unsqueeze(-1).expand(-1, -1, batch.shape[2]));
        var hi = batch.gather(1, upper.to(ScalarType.Int64).unsqueeze(-1).expand(-1, -1, batch.shape[2]));
        return lo.Plus((hi - lo) * weight).MoveToOuterDisposeScope();
    }

    private static double Radians(double maxDegrees, Random rng) => (rng.NextDouble() * 2 - 1) * maxDegrees * Math.PI / 180;

    /// <summary>R = Rz(roll) · Rx(pitch) · Ry(yaw), row-major.</summary>
    internal static float[] RotationMatrix(double yaw, double pitch, double roll)
    {
        double cy = Math.Cos(yaw), sy = Math.Sin(yaw), cp = Math.Cos(pitch), sp = Math.Sin(pitch), cr = Math.Cos(roll), sr = Math.Sin(roll);
        double[,] ry = { { cy, 0, sy }, { 0, 1, 0 }, { -sy, 0, cy } };
        double[,] rx = { { 1, 0, 0 }, { 0, cp, -sp }, { 0, sp, cp } };
        double[,] rz = { { cr, -sr, 0 }, { sr, cr, 0 }, { 0, 0, 1 } };
        var m = Multiply(rz, Multiply(rx, ry));
        var result = new float[9];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                result[i * 3 + j] = (float)m[i, j];
        return result;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var c = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                for (int k = 0; k < 3; k++)
                    c[i, j] += a[i, k] * b[k, j];
        return c;
    }
}
