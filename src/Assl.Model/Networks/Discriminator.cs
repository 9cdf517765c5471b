using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Tells labelled from unlabelled samples by their translated features (logit > 0: labelled).
/// Its input passes a gradient-reversal layer, so minimising its loss aligns the two distributions.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly Linear fc3;

    public Discriminator(int featureSize, int hidden) : base(nameof(Discriminator))
    {
        fc1 = nn.Linear(featureSize, hidden);
        fc2 = nn.Linear(hidden, hidden);
        fc3 = nn.Linear(hidden, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor feature)
    {
        // feature: (N, d) -> logit: (N)
        using var scope = NewDisposeScope();
        var x = nn.functional.leaky_relu(fc1.forward(feature), 0.2);
        x = nn.functional.leaky_relu(fc2.forward(x), 0.2);
        return fc3.forward(x).squeeze(-1).MoveToOuterDisposeScope();
    }
}
