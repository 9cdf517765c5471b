using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Turns a batch of skeleton sequences into one feature vector each. The ASSL losses only need this
/// contract, so a graph-convolution encoder can replace the GRU without touching the trainer.
/// </summary>
public abstract class SequenceEncoder : nn.Module<Tensor, Tensor>
{
    protected SequenceEncoder(string name) : base(name) { }

    /// <summary>Size of the feature vector h the encoder returns.</summary>
    public abstract int OutputSize { get; }

    public static SequenceEncoder Create(EncoderConfig config, int inputChannels) => config.Kind.ToLowerInvariant() switch
    {
        "gru" => new GruEncoder(config, inputChannels),
        "gcn" => new GcnEncoder(config, inputChannels),
        _ => throw new ArgumentException($"Unknown encoder kind '{config.Kind}'. Known: gru, gcn."),
    };
}
