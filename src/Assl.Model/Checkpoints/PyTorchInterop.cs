using Assl.Model.Networks;
using TorchSharp.PyBridge;

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

    /// <summary>Loads a PyTorch state_dict into a network built from <paramref name="config"/>; every key must match.</summary>
    public static AsslNetwork ImportStateDict(AsslNetworkConfig config, string path)
    {
        var network = new AsslNetwork(config);
        try
        {
            network.load_py(path, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new CheckpointException(path, $"not a state_dict for this network ({e.Message})", e);
        }
        network.eval();
        return network;
    }
}
