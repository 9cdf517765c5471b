using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>A stacked GRU over frames; the feature is the last layer's final hidden state.</summary>
public sealed class GruEncoder : SequenceEncoder
{
    private readonly GRU gru;
    private readonly int _hidden;

    public GruEncoder(EncoderConfig config, int inputChannels) : base(nameof(GruEncoder))
    {
        _hidden = config.Hidden;
        gru = nn.GRU(inputChannels, config.Hidden, numLayers: config.Layers, batchFirst: true,
            dropout: config.Layers > 1 ? config.Dropout : 0.0);
        RegisterComponents();
    }

    public override int OutputSize => _hidden;

    public override Tensor forward(Tensor x)
    {
        // x: (N, T, C) -> h: (N, H)
        if (x.dim() != 3) throw new ArgumentException($"GruEncoder expects (N, T, C), got {x.dim()} dims.");
        var (output, hn) = gru.forward(x, null);
        output.Dispose();
        using (hn)
        {
            return hn[-1].clone();
        }
    }
}
