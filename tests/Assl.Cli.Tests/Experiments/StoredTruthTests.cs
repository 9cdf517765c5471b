using Assl.Cli.Clients;
using Assl.Cli.Experiments;
using Assl.Model.Skeletons;
using Assl.Stream.OnlineLearning.Store;
using Assl.Tests;

namespace Assl.Cli.Tests.Experiments;

/// <summary>The truth file an online experiment writes, and the oracle replay's relabelling of a real store from it.</summary>
public sealed class StoredTruthTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("assl-truth-");

    public void Dispose() => _folder.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_folder.FullName, name);

    [SkippableFact]
    public void TheObserversTruthFileReadsBackAsTheClassEachBodyPlayed()
    {
        var file = Directory.Exists(RealData.NuclaDirectory) ? Directory.EnumerateFiles(RealData.NuclaDirectory, "*.json").Order().FirstOrDefault() : null;
        Skip.If(file is null, "N-UCLA data not found");
        var clip = ReplayClip.Load(file);
        var observer = new ExperimentObserver();
        observer.OnClipStarted(new ClipPlay("cam-1", clip, 0, [11]));
        observer.OnClipStarted(new ClipPlay("cam-2", clip, 3, [11, 12]));
        observer.WriteTruth(PathOf(StoredTruth.FileName));

        var truth = StoredTruth.Read(PathOf(StoredTruth.FileName));
        Assert.Equal(3, truth.Bodies);
        Assert.True(truth.KnowsClips);
        Assert.NotNull(clip.ClassIndex);
        Assert.Contains($"cam-2\t12\t{clip.ClassIndex}\t{clip.Name}", File.ReadAllLines(PathOf(StoredTruth.FileName)));
    }

    [Fact]
    public async Task RelabellingSwapsEachPseudoLabelForItsBodysTrueClassAndLeavesUnknownBodiesOut()
    {
        var storePath = PathOf("store.db");
        using var store = SqliteSampleStore.Open(new StoreOptions { Path = storePath }, _folder.FullName);
        // Body 1 was labelled right (class 2), body 2 wrong (3 for a true 5), body 3 has no truth.
        await store.WriteAsync(
        [
            StoreCommand.AddPseudoLabelled(Window("cam-1", 1), new PseudoLabel(2, 0.99f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 2), new PseudoLabel(3, 0.97f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 2), new PseudoLabel(3, 0.96f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 3), new PseudoLabel(4, 0.98f, "v1")),
            new StoreCommand.AddWindow(Window("cam-2", 1), SampleKind.Unlabelled),
        ]);
        File.WriteAllLines(PathOf("truth.tsv"), ["camera\tbody\tclass", "cam-1\t1\t2", "cam-1\t2\t5", "cam-2\t1\t7"]);
        var pseudo = await store.NewestPseudoLabelledAsync(100);

        var (relabelled, right) = (await StoredTruth.Read(PathOf("truth.tsv")).OfAsync(store, pseudo, CancellationToken.None)).Relabel();

        Assert.Equal(4, pseudo.Count);
        Assert.Equal(3, relabelled.Count);
        Assert.Equal(1, right);
        Assert.Equal([2, 5, 5], relabelled.Labels.Order());
        Assert.All(relabelled.Positions, p => Assert.Equal(Window("x", 0).Positions.Length, p.Length));
    }

    [Fact]
    public async Task EachClipIsLabelledWithTheLabelMostOfItsPseudoLabelledWindowsGot()
    {
        using var store = SqliteSampleStore.Open(new StoreOptions { Path = PathOf("store.db") }, _folder.FullName);
        // Clip a: bodies 1 and 2 (two plays), windows labelled 4, 4, 6. Clip b: body 3, a tie of 2 and 1 (lower class wins).
        await store.WriteAsync(
        [
            StoreCommand.AddPseudoLabelled(Window("cam-1", 1), new PseudoLabel(4, 0.99f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 2), new PseudoLabel(4, 0.99f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 2), new PseudoLabel(6, 0.99f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 3), new PseudoLabel(2, 0.99f, "v1")),
            StoreCommand.AddPseudoLabelled(Window("cam-1", 3), new PseudoLabel(1, 0.99f, "v1")),
        ]);
        File.WriteAllLines(PathOf("truth.tsv"), ["camera\tbody\tclass\tclip", "cam-1\t1\t4\ta", "cam-1\t2\t4\ta", "cam-1\t3\t1\tb"]);
        var pseudo = await store.NewestPseudoLabelledAsync(100);

        var labels = (await StoredTruth.Read(PathOf("truth.tsv")).OfAsync(store, pseudo, CancellationToken.None)).ClipLabels();

        Assert.Equal(4, labels["a"]);
        Assert.Equal(1, labels["b"]);
        Assert.Equal(2, labels.Count);
    }

    [Fact]
    public async Task ClipLabelsNeedATruthFileThatNamesClips()
    {
        using var store = SqliteSampleStore.Open(new StoreOptions { Path = PathOf("store.db") }, _folder.FullName);
        File.WriteAllLines(PathOf("truth.tsv"), ["camera\tbody\tclass", "cam-1\t1\t4"]);
        var truth = await StoredTruth.Read(PathOf("truth.tsv")).OfAsync(store, SampleBatch.Empty, CancellationToken.None);
        var e = Assert.Throws<InvalidOperationException>(() => truth.ClipLabels());
        Assert.Contains("does not name clips", e.Message);
    }

    [Theory]
    [InlineData("cam-1\t1")]
    [InlineData("cam-1\tone\t2")]
    [InlineData("cam-1\t1\t-2")]
    [InlineData("cam-1\t1\t2\tclip\textra")]
    public void AMalformedLineIsRefusedWithItsNumber(string line)
    {
        File.WriteAllLines(PathOf("bad.tsv"), ["camera\tbody\tclass", "cam-1\t5\t0", line]);
        var e = Assert.Throws<FormatException>(() => StoredTruth.Read(PathOf("bad.tsv")));
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void AMissingFileSaysWhoWritesIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() => StoredTruth.Read(PathOf("none.tsv")));
        Assert.Contains("assl experiment online", e.Message);
    }

    /// <summary>A 50-frame Kinect v1 window; its positions do not matter to relabelling.</summary>
    private static SampleWindow Window(string camera, ulong body) =>
        new(camera, body, 0, 1_633_333, JointLayouts.KinectV1.Id, new float[50 * JointLayouts.KinectV1.JointCount * 3], 1_700_000_000_000_000);
}
