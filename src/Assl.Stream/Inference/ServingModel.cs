using Assl.Model.Checkpoints;
using Assl.Model.Networks;
using Assl.Model.Skeletons;
using static TorchSharp.torch;

namespace Assl.Stream.Inference;

/// <summary>
/// One loaded model and what serving needs to know about it. Reference-counted, so a model swapped out
/// while a batch runs on it is disposed only when that batch has finished.
/// </summary>
public sealed class ServingModel
{
    private int _leases;
    private int _retired;
    private int _disposed;

    public ServingModel(AsslNetwork network, ModelManifest manifest, Device device)
    {
        Network = network;
        Manifest = manifest;
        Device = device;
        Layout = JointLayouts.Get(manifest.JointLayout);
        Network.eval();
    }

    public AsslNetwork Network { get; }
    public ModelManifest Manifest { get; }
    public Device Device { get; }
    public JointLayout Layout { get; }
    public string Version => Manifest.ModelVersion;
    public int Frames => Manifest.Preprocessing.Frames;
    public IReadOnlyList<string> ClassNames => Manifest.ClassNames;

    /// <summary>The checkpoint it was loaded from, when it was loaded from one.</summary>
    public string? SourcePath { get; init; }

    public static ServingModel Load(string path, Device device)
    {
        var (network, manifest) = CheckpointFile.Load(path, device);
        return new ServingModel(network, manifest, device) { SourcePath = path };
    }

    /// <summary>Takes a lease; false when the model has been retired and must not be used.</summary>
    public bool TryAcquire()
    {
        Interlocked.Increment(ref _leases);
        if (Volatile.Read(ref _retired) == 0) return true;
        Release();
        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Volatile.Read(ref _retired) == 1) DisposeOnce();
    }

    /// <summary>No new leases; disposed as soon as the last lease is released.</summary>
    public void Retire()
    {
        Interlocked.Exchange(ref _retired, 1);
        if (Volatile.Read(ref _leases) == 0) DisposeOnce();
    }

    private void DisposeOnce()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) Network.Dispose();
    }
}
