using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Assl.Model.Datasets;
using Assl.Model.Tests.Readers;

namespace Assl.Model.Tests.Datasets;

public sealed class NuclaDatasetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Json(string name, int label, int frames = 2, int joints = 20)
    {
        var sb = new StringBuilder($"{{\"file_name\": \"{name}\", \"skeletons\": [");
        for (int t = 0; t < frames; t++)
        {
            sb.Append(t == 0 ? "[" : ", [");
            sb.AppendJoin(", ", Enumerable.Range(0, joints).Select(j => string.Create(CultureInfo.InvariantCulture, $"[{t}, {j}, 3]")));
            sb.Append(']');
        }
        return sb.Append(CultureInfo.InvariantCulture, $"], \"label\": {label}}}").ToString();
    }

    private void Write(string name, int label, int joints = 20) => _temp.Write(name + ".json", Json(name, label, joints: joints));

    [Fact]
    public void LoadsGoodFilesAndRejectsBadOnes()
    {
        Write("a12_s01_e00_v01", 10);
        Write("a01_s02_e00_v03", 1);
        Write("a08_s01_e00_v02", 7);
        Write("a02_s01_e00_v01", 2, joints: 19);
        Write("a03_s01_e00_v01", 4);
        Write("a07_s01_e00_v01", 1);
        Write("clip", 1);
        _temp.Write("a04_s01_e00_v01.json", Json("a04_s01_e00_v01", 4)[..50]);
        _temp.Write("notes.txt", "ignored: not *.json");

        var reports = new ConcurrentBag<DatasetLoadProgress>();
        var result = NuclaDataset.Load(_temp.Path, new SynchronousProgress(reports.Add));

        Assert.Equal(["a01_s02_e00_v03", "a08_s01_e00_v02", "a12_s01_e00_v01"], result.Samples.Select(s => s.Name));
        Assert.Equal([0, 6, 9], result.Samples.Select(s => s.ClassIndex));
        Assert.Equal([3, 2, 1], result.Samples.Select(s => s.View));
        Assert.Equal([2, 1, 1], result.Samples.Select(s => s.Subject));

        var rejected = result.Rejected.ToDictionary(r => Path.GetFileName(r.Path), r => r.Reason);
        Assert.Equal(5, rejected.Count);
        Assert.StartsWith("byte ", rejected["a02_s01_e00_v01.json"]);
        Assert.Contains("got 19", rejected["a02_s01_e00_v01.json"]);
        Assert.Contains("label 4 disagrees with action a03", rejected["a03_s01_e00_v01.json"]);
        Assert.Contains("a07 is not one of the ten", rejected["a07_s01_e00_v01.json"]);
        Assert.Contains("aAA_sSS_eEE_vVV", rejected["clip.json"]);
        Assert.Contains("unexpected end of file", rejected["a04_s01_e00_v01.json"]);

        Assert.Contains(new DatasetLoadProgress(0, 8), reports);
        Assert.Contains(new DatasetLoadProgress(8, 8), reports);
        Assert.Equal(9, reports.Count);
    }

    [Fact]
    public void MissingFolderThrowsClearly()
    {
        var missing = Path.Combine(_temp.Path, "nope");
        var ex = Assert.Throws<DirectoryNotFoundException>(() => NuclaDataset.Load(missing));
        Assert.Contains("N-UCLA folder not found", ex.Message);
        Assert.Contains(missing, ex.Message);
    }

    [Fact]
    public void HonoursCancellation()
    {
        Write("a01_s01_e00_v01", 1);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => NuclaDataset.Load(_temp.Path, ct: cts.Token));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need every report before Load returns.</summary>
    private sealed class SynchronousProgress(Action<DatasetLoadProgress> report) : IProgress<DatasetLoadProgress>
    {
        public void Report(DatasetLoadProgress value) => report(value);
    }
}
