using System.Buffers.Binary;
using System.Text.Json;
using Assl.Model.Checkpoints;
using Assl.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Checkpoints;

[Collection("Sequential")]
public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("assl-ckpt-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AsslNetwork Network(int hidden = 16, string encoder = "gru")
    {
        torch.manual_seed(11);
        var config = encoder == "gcn-batch" ? new EncoderConfig("gcn", hidden, 2, Norm: "batch") : new EncoderConfig(encoder, hidden, 2);
        return new AsslNetwork(new AsslNetworkConfig(60, 4, config, TranslationDim: 8));
    }

    private static ModelManifest Manifest(AsslNetwork net) => new()
    {
        ModelVersion = "test-1",
        JointLayout = "kinect-v1-20",
        ClassNames = ["a", "b", "c", "d"],
        Preprocessing = new PreprocessingManifest(50, true, "test"),
        Network = net.Config,
        Metrics = new Dictionary<string, double> { ["top1"] = 0.5 },
    };

    private string SaveOne(out AsslNetwork net, string encoder = "gru")
    {
        net = Network(encoder: encoder);
        // A few batches in training mode, so running statistics (batch normalisation) differ from their start.
        using (torch.no_grad())
            for (int i = 0; i < 3; i++) net.forward(randn(8, 20, 60) * 2 + 1).Dispose();
        var path = Path.Combine(_dir, "model.assl");
        CheckpointFile.Save(path, net, Manifest(net));
        return path;
    }

    /// <summary>Both networks give exactly the same outputs for the same random windows.</summary>
    private static void AssertSamePredictions(AsslNetwork expected, AsslNetwork actual, int frames = 50)
    {
        using var x = randn(3, frames, 60);
        using var a = expected.forward(x);
        using var b = actual.forward(x);
        Assert.True(a.allclose(b, 0, 0));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gcn")]
    [InlineData("gcn-batch")]
    public void RoundTripGivesIdenticalPredictions(string encoder)
    {
        var path = SaveOne(out var original, encoder);
        using (original)
        {
            var (loaded, manifest) = CheckpointFile.Load(path);
            using (loaded)
            {
                original.eval();
                AssertSamePredictions(original, loaded);
                Assert.Equal("test-1", manifest.ModelVersion);
                Assert.Equal(64, manifest.WeightsSha256.Length);
                Assert.Equal(0.5, manifest.Metrics["top1"]);
                Assert.False(loaded.training);
                Assert.Equal(encoder.Split('-')[0], manifest.Network.Encoder.Kind);
            }
        }
    }

    [Fact]
    public void FlippedWeightByteIsRefusedAsCorrupt()
    {
        var path = SaveOne(out var net);
        net.Dispose();
        var bytes = File.ReadAllBytes(path);
        bytes[^100] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path));
        Assert.Contains("corrupt", e.Message);
        Assert.Contains("SHA-256", e.Message);
    }

    [Fact]
    public void TruncatedFileIsRefused()
    {
        var path = SaveOne(out var net);
        net.Dispose();
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path)).Message);
        File.WriteAllBytes(path, bytes[..10]);
        Assert.Contains("truncated", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void OtherFilesAreRefused()
    {
        var path = Path.Combine(_dir, "not-a-model.assl");
        File.WriteAllText(path, "{\"hello\": \"world\"} and some more text to pass the header");
        Assert.Contains("not an Assl checkpoint", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path)).Message);
        Assert.Contains("not found", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(Path.Combine(_dir, "missing.assl"))).Message);
    }

    [Fact]
    public void WeightsThatDoNotFitTheManifestAreRefused()
    {
        var path = SaveOne(out var net);
        net.Dispose();
        // Rewrite the manifest to describe a bigger encoder; the hash still matches the weights.
        var bytes = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        var manifest = JsonSerializer.Deserialize<ModelManifest>(bytes.AsSpan(16, length), CheckpointFile.JsonOptions)!;
        var lying = manifest with { Network = manifest.Network with { Encoder = manifest.Network.Encoder with { Hidden = 32 } } };
        var json = JsonSerializer.SerializeToUtf8Bytes(lying, CheckpointFile.JsonOptions);
        var rewritten = new byte[16 + json.Length + manifest.WeightsBytes];
        bytes.AsSpan(0, 16).CopyTo(rewritten);
        BinaryPrimitives.WriteUInt32LittleEndian(rewritten.AsSpan(12), (uint)json.Length);
        json.CopyTo(rewritten, 16);
        bytes.AsSpan(16 + length).CopyTo(rewritten.AsSpan(16 + json.Length));
        File.WriteAllBytes(path, rewritten);

        Assert.Contains("do not fit", Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path)).Message);
    }

    [Fact]
    public void IncompatibleInputIsNamed()
    {
        var path = SaveOne(out var net);
        net.Dispose();
        var manifest = CheckpointFile.ReadManifest(path);
        CheckpointFile.EnsureCompatible(manifest, path, "kinect-v1-20", 50, 4);
        Assert.Contains("kinect-v1-20", Assert.Throws<CheckpointException>(() => CheckpointFile.EnsureCompatible(manifest, path, "kinect-v2-25")).Message);
        Assert.Contains("50-frame", Assert.Throws<CheckpointException>(() => CheckpointFile.EnsureCompatible(manifest, path, frames: 30)).Message);
    }

    [Fact]
    public void SaveReplacesAtomicallyAndLeavesNoTempFiles()
    {
        var path = SaveOne(out var first);
        first.Dispose();
        using var second = Network(hidden: 24);
        CheckpointFile.Save(path, second, Manifest(second) with { ModelVersion = "test-2" });
        Assert.Equal("test-2", CheckpointFile.ReadManifest(path).ModelVersion);
        Assert.Equal(["model.assl"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("gcn")]
    [InlineData("gcn-batch")]
    public void PyTorchStateDictRoundTrips(string encoder)
    {
        using var net = Network(encoder: encoder);
        net.eval();
        var path = Path.Combine(_dir, "model.pt");
        PyTorchInterop.ExportStateDict(net, path);
        using var imported = PyTorchInterop.ImportStateDict(net.Config, path);
        AssertSamePredictions(net, imported, frames: 20);
        // A PyTorch pickle is a zip archive whose entries name the state-dict keys.
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
    }

    /// <summary>Exports a checkpoint as export-pytorch does: the state_dict, and the manifest beside it.</summary>
    private (string StateDict, string Manifest) ExportOne(string checkpoint)
    {
        var stateDict = Path.Combine(_dir, "exported.pt");
        return (stateDict, PyTorchInterop.ExportCheckpoint(checkpoint, stateDict));
    }

    [Fact]
    public void AnExportedModelComesBackFromPyTorchAsTheSameCheckpoint()
    {
        var path = SaveOne(out var original, "gcn-batch");
        using (original)
        {
            var (stateDict, manifestJson) = ExportOne(path);
            var back = Path.Combine(_dir, "back.assl");
            var (written, unchanged) = PyTorchInterop.ImportCheckpoint(stateDict, manifestJson, back);

            Assert.True(unchanged);
            var saved = CheckpointFile.ReadManifest(path);
            Assert.Equal(saved.WeightsSha256, written.WeightsSha256);
            Assert.Equal("test-1", written.ModelVersion);
            Assert.Equal(0.5, written.Metrics["top1"]);
            var (loaded, _) = CheckpointFile.Load(back);
            using (loaded)
            {
                original.eval();
                AssertSamePredictions(original, loaded);
            }
        }
    }

    [Fact]
    public void WeightsChangedInPyTorchComeBackUnderANewVersionWithoutTheOldMetrics()
    {
        var path = SaveOne(out var original, "gru");
        original.Dispose();
        var (stateDict, manifestJson) = ExportOne(path);
        var saved = CheckpointFile.ReadManifest(path);
        // What a PyTorch user does: load the state_dict, train it a little, save it again.
        using var tuned = PyTorchInterop.ImportStateDict(saved.Network, stateDict);
        using (torch.no_grad())
            foreach (var parameter in tuned.parameters()) parameter.add_(0.01);
        PyTorchInterop.ExportStateDict(tuned, stateDict);

        var back = Path.Combine(_dir, "tuned.assl");
        var (written, unchanged) = PyTorchInterop.ImportCheckpoint(stateDict, manifestJson, back);

        Assert.False(unchanged);
        Assert.NotEqual(saved.WeightsSha256, written.WeightsSha256);
        Assert.StartsWith("test-1-pytorch-", written.ModelVersion);
        Assert.Empty(written.Metrics);
        Assert.Contains("imported from PyTorch", written.TrainedOn);
        var (loaded, manifest) = CheckpointFile.Load(back);
        using (loaded)
        {
            Assert.Equal(written.ModelVersion, manifest.ModelVersion);
            AssertSamePredictions(tuned, loaded);
        }
        Assert.Equal("mine", PyTorchInterop.ImportCheckpoint(stateDict, manifestJson, back, version: "mine").Written.ModelVersion);
    }

    [Fact]
    public void AStateDictWithoutItsManifestOrForAnotherNetworkIsRefusedAndNothingIsWritten()
    {
        var path = SaveOne(out var original, "gru");
        original.Dispose();
        var (stateDict, manifestJson) = ExportOne(path);
        var back = Path.Combine(_dir, "back.assl");

        var missing = Assert.Throws<CheckpointException>(() => PyTorchInterop.ImportCheckpoint(stateDict, Path.Combine(_dir, "none.json"), back));
        Assert.Contains("manifest not found", missing.Message);

        File.WriteAllText(Path.Combine(_dir, "truncated.json"), File.ReadAllText(manifestJson)[..40]);
        var truncated = Assert.Throws<CheckpointException>(() => PyTorchInterop.ImportCheckpoint(stateDict, Path.Combine(_dir, "truncated.json"), back));
        Assert.Contains("not a model manifest", truncated.Message);

        File.WriteAllText(Path.Combine(_dir, "huge.json"), new string(' ', (1 << 20) + 10));
        var huge = Assert.Throws<CheckpointException>(() => PyTorchInterop.ImportCheckpoint(stateDict, Path.Combine(_dir, "huge.json"), back));
        Assert.Contains("too large for a manifest", huge.Message);

        var saved = CheckpointFile.ReadManifest(path);
        var wider = saved with { Network = saved.Network with { Encoder = saved.Network.Encoder with { Hidden = 24 } } };
        CheckpointFile.WriteManifestJson(Path.Combine(_dir, "wider.json"), wider);
        var mismatch = Assert.Throws<CheckpointException>(() => PyTorchInterop.ImportCheckpoint(stateDict, Path.Combine(_dir, "wider.json"), back));
        Assert.Contains("not a state_dict for this network", mismatch.Message);
        Assert.Contains("encoder.gru.weight_ih_l0 has shape [48, 60], the network's is [72, 60]", mismatch.Message);

        Assert.False(File.Exists(back));
    }
}
