using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Fills in the masked part of a sequence from the encoder's feature. Its GRU starts from the
/// feature and reads the masked input (zeros where masked), so it never sees the values it must
/// predict: no teacher forcing. It predicts every frame; the loss looks at the masked region only.
/// </summary>
public sealed class InpaintingDecoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear init;
    private readonly GRU gru;
    private readonly Linear output;

    public InpaintingDecoder(int featureSize, int hidden, int channels) : base(nameof(InpaintingDecoder))
    {
        init = nn.Linear(featureSize, hidden);
        gru = nn.GRU(channels, hidden, numLayers: 1, batchFirst: true);
        output = nn.Linear(hidden, channels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor feature, Tensor maskedInput)
    {
        // feature: (N, H), maskedInput: (N, T, C) -> reconstruction: (N, T, C)
        using var scope = NewDisposeScope();
        var h0 = tanh(init.forward(feature)).unsqueeze(0);
        var (states, _) = gru.forward(maskedInput, h0);
        return output.forward(states).MoveToOuterDisposeScope();
    }
}
