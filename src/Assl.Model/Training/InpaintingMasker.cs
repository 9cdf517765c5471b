using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Builds the inpainting mask for a batch: 1 where the input is hidden. Each sample hides one block of
/// consecutive frames (all joints) and, optionally, one body part (all frames).
/// </summary>
public sealed class InpaintingMasker(double frameFraction, IReadOnlyList<int[]>? bodyParts)
{
    /// <returns>A (N, T, C) float mask on <paramref name="device"/>.</returns>
    public Tensor Create(long n, long frames, long channels, Random rng, Device device)
    {
        var mask = new float[n * frames * channels];
        int block = (int)Math.Round(frameFraction * frames);
        for (int i = 0; i < n; i++)
        {
            var sample = mask.AsSpan((int)(i * frames * channels), (int)(frames * channels));
            if (block > 0)
            {
                int start = rng.Next((int)frames - block + 1);
                sample.Slice((int)(start * channels), (int)(block * channels)).Fill(1f);
            }
            if (bodyParts is { Count: > 0 })
            {
                var part = bodyParts[rng.Next(bodyParts.Count)];
                for (int t = 0; t < frames; t++)
                    foreach (int j in part)
                        sample.Slice((int)(t * channels + j * 3), 3).Fill(1f);
            }
        }
        using var cpu = tensor(mask, [n, frames, channels]);
        return cpu.to(device);
    }
}
