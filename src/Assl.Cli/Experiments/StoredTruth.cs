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
    /// What the truth file says of each window of <paramref name="pseudo"/>: its body's class and clip, looked up in
    /// one pass over the store (the batch holds sequence numbers, the store knows their bodies).
    /// </summary>
    public async Task<PseudoLabelTruth> OfAsync(ISampleStore store, SampleBatch pseudo, CancellationToken ct)
    {
        if (pseudo.Count == 0) return new PseudoLabelTruth(pseudo, [], KnowsClips ? [] : null);
        var rowOf = Enumerable.Range(0, pseudo.Count).ToDictionary(i => pseudo.Sequences[i]);
        var bodies = new (string Camera, ulong Body)?[pseudo.Count];
        int found = 0;
        await foreach (var sample in store.AllWindowsAsync(ct))
        {
            if (!rowOf.TryGetValue(sample.Sequence, out int row)) continue;
            bodies[row] = (sample.Window.CameraId, sample.Window.BodyId);
            if (++found == rowOf.Count) break;
        }
        return new PseudoLabelTruth(pseudo,
            bodies.Select(b => b is { } key && _classes.TryGetValue(key, out int c) ? c : (int?)null).ToArray(),
            KnowsClips ? bodies.Select(b => b is { } key ? _clips.GetValueOrDefault(key) : null).ToArray() : null);
    }
}
