using Assl.Model.Networks;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Assl.Model.Checkpoints;

/// <summary>
/// Moves weights to and from PyTorch: the exported file is a pickled state_dict that
/// <c>torch.load</c> reads, with PyTorch-style keys ("encoder.gru.weight_ih_l0", "classifier.weight").
/// </summary>
public static class PyTorchInterop
{
    public static void ExportStateDict(AsslNetwork network, string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = path + ".tmp";
        network.save_py(temp);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>
    /// What `assl model export-pytorch` writes: the checkpoint's weights as a state_dict at <paramref name="stateDictPath"/>
    /// and its manifest beside it as .json (what <see cref="ImportCheckpoint"/> reads back).
    /// </summary>
    /// <returns>The manifest's path.</returns>
    public static string ExportCheckpoint(string checkpointPath, string stateDictPath)
    {
        var (network, manifest) = CheckpointFile.Load(checkpointPath);
        using (network)
        {
            ExportStateDict(network, stateDictPath);
            var manifestPath = Path.ChangeExtension(stateDictPath, ".json");
            CheckpointFile.WriteManifestJson(manifestPath, manifest);
            return manifestPath;
        }
    }

    /// <summary>Loads a PyTorch state_dict into a network built from <paramref name="config"/>; every key must match.</summary>
    public static AsslNetwork ImportStateDict(AsslNetworkConfig config, string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "state_dict not found.");
        var network = CheckpointFile.NetworkFor(config, path);
        var loaded = new Dictionary<string, Tensor>();
        try
        {
            using (var stream = File.OpenRead(path))
                foreach (System.Collections.DictionaryEntry entry in PyTorchUnpickler.UnpickleStateDict(stream))
                    loaded.Add((string)entry.Key, (Tensor)entry.Value!);
            // load_state_dict checks the keys but passes over a tensor of another shape without a word, leaving the
            // network's own initial values: a state_dict of a wider network would "load".
            // Checked in the network's own order: the unpickled table's order changes from one process to the next.
            var expected = network.state_dict();
            foreach (var key in loaded.Keys.Except(expected.Keys).Order()) throw new InvalidDataException($"{key} is not in the network");
            foreach (var (key, own) in expected)
            {
                if (!loaded.TryGetValue(key, out var tensor)) throw new InvalidDataException($"{key} is missing");
                if (!tensor.shape.SequenceEqual(own.shape))
                    throw new InvalidDataException($"{key} has shape [{string.Join(", ", tensor.shape)}], the network's is [{string.Join(", ", own.shape)}]");
            }
            network.load_state_dict(loaded, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new CheckpointException(path, $"not a state_dict for this network ({e.Message})", e);
        }
        finally
        {
            foreach (var tensor in loaded.Values) tensor.Dispose();
        }
        network.eval();
        return network;
    }

    /// <summary>
    /// Turns a state_dict (for example one a PyTorch user fine-tuned) and the manifest exported beside it back into a
    /// checkpoint the server loads. Weights that are not the exported ones get a new version and lose the manifest's
    /// metrics, which were measured on other weights.
    /// </summary>
    /// <param name="version">The model version to record; null keeps the manifest's for unchanged weights and derives one otherwise.</param>
    /// <returns>The manifest as written, and whether the weights were the exported ones.</returns>
    public static (ModelManifest Written, bool WeightsUnchanged) ImportCheckpoint(string stateDictPath, string manifestPath, string outputPath, string? version = null)
    {
        var exported = CheckpointFile.ReadManifestJson(manifestPath);
        using var network = ImportStateDict(exported.Network, stateDictPath);
        string hash = CheckpointFile.WeightsSha256Of(network);
        bool unchanged = hash == exported.WeightsSha256;
        var manifest = unchanged
            ? exported with { ModelVersion = version ?? exported.ModelVersion }
            : exported with
            {
                ModelVersion = version ?? $"{exported.ModelVersion}-pytorch-{hash[..8]}",
                CreatedUtc = DateTimeOffset.UtcNow,
                Metrics = new Dictionary<string, double>(),
                TrainedOn = $"weights imported from PyTorch ({Path.GetFileName(stateDictPath)}); the exported model was trained on: {exported.TrainedOn ?? "not recorded"}",
            };
        return (CheckpointFile.Save(outputPath, network, manifest), unchanged);
    }
}
