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
                using var x = randn(3, 50, 60);
                using var expected = original.forward(x);
                using var actual = loaded.forward(x);
                Assert.True(expected.allclose(actual, 0, 0));
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
        using var x = randn(2, 20, 60);
        using var a = net.forward(x);
        using var b = imported.forward(x);
        Assert.True(a.allclose(b, 0, 0));
        // A PyTorch pickle is a zip archive whose entries name the state-dict keys.
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'P', bytes[0]);
        Assert.Equal((byte)'K', bytes[1]);
    }
}
