using System.Diagnostics;
using Assl.Stream.Inference;
using static TorchSharp.torch;

namespace Assl.Cli.Clients;

/// <summary>
/// The model's own ceiling: batched forward passes in this process, no network and no server, on
/// windows cut at random from real sequences (so preprocessing sees real skeletons, not noise).
/// </summary>
public static class RawThroughput
{
    /// <returns>Windows classified per second.</returns>
    public static double WindowsPerSecond(string modelPath, IReadOnlyList<ReplayClip> clips, TimeSpan duration, int batchSize = 64, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var engine = new TorchInferenceEngine(ServingModel.Load(modelPath, CPU));
        try
        {
            var model = engine.Current;
            int frames = model.Frames, values = model.Layout.JointCount * 3;
            var sequences = clips.SelectMany(c => c.Bodies).Select(b => b.Sequence)
                .Where(s => s.Layout == model.Layout && s.FrameCount >= frames).ToArray();
            if (sequences.Length == 0)
                throw new InvalidDataException($"No {model.Layout.Id} sequence of {frames}+ frames to cut windows from.");

            var random = new Random(seed);
            float[] Window()
            {
                var s = sequences[random.Next(sequences.Length)];
                int start = random.Next(s.FrameCount - frames + 1);
                return s.Positions.Slice(start * values, frames * values).ToArray();
            }
            var batches = Enumerable.Range(0, 8).Select(_ => Enumerable.Range(0, batchSize).Select(_ => Window()).ToArray()).ToArray();

            engine.Predict(batches[0]); // the first pass pays for allocation and kernel selection
            long windows = 0;
            var clock = Stopwatch.StartNew();
            for (int i = 0; clock.Elapsed < duration; i++)
            {
                engine.Predict(batches[i % batches.Length]);
                windows += batchSize;
            }
            return windows / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            engine.Dispose();
        }
    }
}
