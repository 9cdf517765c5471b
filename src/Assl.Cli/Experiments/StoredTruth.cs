using System.Globalization;
using Assl.Stream.OnlineLearning.Store;

namespace Assl.Cli.Experiments;

/// <summary>
/// The true class of the windows an online experiment stored, from the truth file its phase wrote beside the
/// store (<see cref="ExperimentObserver.WriteTruth"/>). Lets a replay train on the same windows with perfect
/// labels: the ceiling that better pseudo-labels could reach.
/// </summary>
public sealed class StoredTruth
{
    public const string FileName = "truth.tsv";

    private readonly Dictionary<(string Camera, ulong Body), int> _classes;
    private readonly Dictionary<(string Camera, ulong Body), string> _clips;

    private StoredTruth(Dictionary<(string Camera, ulong Body), int> classes, Dictionary<(string Camera, ulong Body), string> clips)
    {
        _classes = classes;
        _clips = clips;
    }

    /// <summary>Whether the file names the clip each body played (a fourth column, written since session 8).</summary>
    public bool KnowsClips => _clips.Count > 0;

    public int Bodies => _classes.Count;

    /// <exception cref="FormatException">A line is not camera, body, class (and optionally clip) separated by tabs.</exception>
    public static StoredTruth Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"no truth file at {path}: `assl experiment online` writes one per phase (since session 8).", path);
        var classes = new Dictionary<(string, ulong), int>();
        var clips = new Dictionary<(string, ulong), string>();
        int number = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (number++ == 0 || line.Length == 0) continue; // header
            var fields = line.Split('\t');
            if (fields.Length is not (3 or 4) || !ulong.TryParse(fields[1], CultureInfo.InvariantCulture, out var body)
                || !int.TryParse(fields[2], CultureInfo.InvariantCulture, out var cls) || cls < 0)
                throw new FormatException($"{path}, line {number}: expected camera<TAB>body<TAB>class index[<TAB>clip], got \"{line}\"");
            classes[(fields[0], body)] = cls;
            if (fields.Length == 4) clips[(fields[0], body)] = fields[3];
        }
        return new StoredTruth(classes, clips);
    }

    /// <summary>
    /// <paramref name="pseudo"/> with every label replaced by its window's true class; windows whose body is not in
    /// the truth file are left out. Also returns how many of the kept labels had been right.
    /// </summary>
    public async Task<(SampleBatch Relabelled, int Right)> RelabelAsync(ISampleStore store, SampleBatch pseudo, CancellationToken ct)
    {
        var wanted = pseudo.Sequences.ToHashSet();
        var truthOf = new Dictionary<long, int>();
        long after = 0;
        while (truthOf.Count < wanted.Count)
        {
            var page = await store.WindowsSinceAsync(after, 5000, ct);
            if (page.Count == 0) break;
            after = page[^1].Sequence;
            foreach (var sample in page)
                if (wanted.Contains(sample.Sequence) && _classes.TryGetValue((sample.Window.CameraId, sample.Window.BodyId), out var cls))
                    truthOf[sample.Sequence] = cls;
        }
        var kept = Enumerable.Range(0, pseudo.Count).Where(i => truthOf.ContainsKey(pseudo.Sequences[i])).ToArray();
        int right = kept.Count(i => pseudo.Labels[i] == truthOf[pseudo.Sequences[i]]);
        var relabelled = new SampleBatch(
            kept.Select(i => pseudo.Sequences[i]).ToArray(),
            kept.Select(i => pseudo.Positions[i]).ToArray(),
            kept.Select(i => pseudo.LayoutIds[i]).ToArray(),
            kept.Select(i => truthOf[pseudo.Sequences[i]]).ToArray(),
            kept.Select(i => pseudo.Confidences[i]).ToArray());
        return (relabelled, right);
    }

    /// <summary>
    /// For every clip with pseudo-labelled windows in <paramref name="pseudo"/>: the label most of them got (ties to the
    /// lower class). What the loop would label a whole action segment with, had it kept segments instead of windows.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> ClipLabelsAsync(ISampleStore store, SampleBatch pseudo, CancellationToken ct)
    {
        if (!KnowsClips) throw new InvalidOperationException("this truth file does not name clips: rerun `assl experiment online` to get one that does");
        var labelOf = Enumerable.Range(0, pseudo.Count).ToDictionary(i => pseudo.Sequences[i], i => pseudo.Labels[i]);
        var votes = new Dictionary<string, Dictionary<int, int>>(StringComparer.Ordinal);
        long after = 0;
        int found = 0;
        while (found < labelOf.Count)
        {
            var page = await store.WindowsSinceAsync(after, 5000, ct);
            if (page.Count == 0) break;
            after = page[^1].Sequence;
            foreach (var sample in page)
            {
                if (!labelOf.TryGetValue(sample.Sequence, out int label)) continue;
                found++;
                if (!_clips.TryGetValue((sample.Window.CameraId, sample.Window.BodyId), out var clip)) continue;
                if (!votes.TryGetValue(clip, out var counts)) votes[clip] = counts = [];
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }
        return votes.ToDictionary(v => v.Key, v => v.Value.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First().Key, StringComparer.Ordinal);
    }
}
