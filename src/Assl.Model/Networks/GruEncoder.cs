using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>A stacked GRU over frames; the feature is the last layer's final hidden state.</summary>
public sealed class GruEncoder : SequenceEncoder
{
    private readonly GRU gru;
    private readonly int _hidden;
    private readonly bool _motion;

    public GruEncoder(EncoderConfig config, int inputChannels) : base(nameof(GruEncoder))
    {
        _hidden = config.Hidden;
        _motion = config.Motion;
        gru = nn.GRU(config.Motion ? 2 * inputChannels : inputChannels, config.Hidden, numLayers: config.Layers, batchFirst: true,
            dropout: config.Layers > 1 ? config.Dropout : 0.0);
        RegisterComponents();
    }

    public override int OutputSize => _hidden;

    public override Tensor forward(Tensor x)
    {
        // x: (N, T, C) -> h: (N, H)
        if (x.dim() != 3) throw new ArgumentException($"GruEncoder expects (N, T, C), got {x.dim()} dims.");
        using var input = _motion ? WithMotion(x) : x.alias();
        var (output, hn) = gru.forward(input, null);
        output.Dispose();
        using (hn)
        {
            return hn[-1].clone();
        }
    }

    /// <summary>(N, T, C) → (N, T, 2C): positions, then the change since the previous frame (zero at the first).</summary>
    public static Tensor WithMotion(Tensor x)
    {
        using var motion = Motion(x);
        return cat([x, motion], 2);
    }

    /// <summary>(N, T, C) → (N, T, C): the change since the previous frame (zero at the first).</summary>
    public static Tensor Motion(Tensor x)
    {
        long frames = x.shape[1];
        using var first = zeros_like(x.narrow(1, 0, 1));
        using var steps = x.narrow(1, 1, frames - 1) - x.narrow(1, 0, frames - 1);
        return cat([first, steps], 1);
    }
}
