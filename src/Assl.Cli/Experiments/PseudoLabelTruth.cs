using Assl.Stream.OnlineLearning.Gate;
using Assl.Stream.OnlineLearning.Store;

namespace Assl.Cli.Experiments;

/// <summary>
/// A batch of stored pseudo-labelled windows beside the truth about each (<see cref="StoredTruth.OfAsync"/>): the
/// true class of the body it came from, and the clip that body played when the truth file names clips.
/// </summary>
/// <param name="Classes">Per row of <paramref name="Pseudo"/>; null where the truth file does not know the body.</param>
/// <param name="Clips">Per row; null altogether when the truth file names no clips.</param>
public sealed record PseudoLabelTruth(SampleBatch Pseudo, int?[] Classes, string?[]? Clips)
{
    /// <summary>
    /// The batch with every label replaced by its window's true class; windows whose body is not in the truth file
    /// are left out. Also returns how many of the kept labels had been right.
    /// </summary>
    public (SampleBatch Relabelled, int Right) Relabel()
    {
        var kept = Enumerable.Range(0, Pseudo.Count).Where(i => Classes[i] is not null).ToArray();
        int right = kept.Count(i => Pseudo.Labels[i] == Classes[i]);
        return (new(
            kept.Select(i => Pseudo.Sequences[i]).ToArray(),
            kept.Select(i => Pseudo.Positions[i]).ToArray(),
            kept.Select(i => Pseudo.LayoutIds[i]).ToArray(),
            kept.Select(i => Classes[i]!.Value).ToArray(),
            kept.Select(i => Pseudo.Confidences[i]).ToArray()), right);
    }

    /// <summary>
    /// For every clip with windows in the batch: the label most of them got, by the gate's own segment vote
    /// (<see cref="SegmentVotes"/>). What the loop would label a whole action segment with, had it kept segments instead of windows.
    /// </summary>
    /// <exception cref="InvalidOperationException">The truth file does not name clips.</exception>
    public IReadOnlyDictionary<string, int> ClipLabels()
    {
        if (Clips is null) throw new InvalidOperationException("this truth file does not name clips: rerun `assl experiment online` to get one that does");
        var votes = new Dictionary<string, SegmentVotes>(StringComparer.Ordinal);
        for (int i = 0; i < Pseudo.Count; i++)
        {
            if (Clips[i] is not { } clip) continue;
            if (!votes.TryGetValue(clip, out var clipVotes)) votes[clip] = clipVotes = new SegmentVotes();
            clipVotes.Add(Pseudo.Labels[i], Pseudo.Confidences[i], "");
        }
        return votes.ToDictionary(v => v.Key, v => v.Value.Winner().Class, StringComparer.Ordinal);
    }
}
