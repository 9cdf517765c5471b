using Assl.Stream.Inference;

namespace Assl.Cli.Clients;

/// <summary>Windows of the served model's length cut at random from real recordings, raw as a camera sends them.</summary>
public static class RealWindows
{
    public static float[][] Cut(IReadOnlyList<ReplayClip> clips, ServingModel model, int count, int seed)
    {
        int frames = model.Frames, values = model.Layout.JointCount * 3;
        var sequences = clips.SelectMany(c => c.Bodies).Select(b => b.Sequence)
            .Where(s => s.Layout == model.Layout && s.FrameCount >= frames).ToArray();
        if (sequences.Length == 0)
            throw new InvalidDataException($"No {model.Layout.Id} sequence of {frames}+ frames to cut windows from.");
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var s = sequences[random.Next(sequences.Length)];
            int start = random.Next(s.FrameCount - frames + 1);
            return s.Positions.Slice(start * values, frames * values).ToArray();
        }).ToArray();
    }
}
