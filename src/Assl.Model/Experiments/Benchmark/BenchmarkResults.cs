using System.Text.Json;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>
/// The benchmark's results file: read at start so finished runs are skipped, rewritten atomically after
/// every run so an interrupted benchmark keeps everything it finished.
/// </summary>
public sealed class BenchmarkResults(string path)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
    private readonly List<BenchmarkRecord> _records = Load(path);

    public IReadOnlyList<BenchmarkRecord> Records => _records;

    public bool Contains(BenchmarkSpec spec) => _records.Any(r => r.SameRunAs(spec));

    public void Add(BenchmarkRecord record)
    {
        _records.RemoveAll(r => r.SameRunAs(record.ToSpec()));
        _records.Add(record);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(_records, Json));
        File.Move(temp, path, overwrite: true);
    }

    private static List<BenchmarkRecord> Load(string path)
    {
        if (!File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<BenchmarkRecord>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a benchmark results list ({e.Message}). Fix or move it; the benchmark will not overwrite it.", e);
        }
    }
}
