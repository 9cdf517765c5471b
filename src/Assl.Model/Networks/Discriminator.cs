using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Tells labelled from unlabelled samples by their translated features (logit > 0: labelled).
/// Its input passes a gradient-reversal layer, so minimising its loss aligns the two distributions.
/// </summary>
public sealed class Discriminator : nn.Module<Tensor, Tensor>
{
    // Held for the process: a temporary Scalar per call could be freed by its finalizer while libtorch reads it
    // (README, TorchSharp section).
    private static readonly Scalar NegativeSlope = 0.2.ToScalar();

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
        var x = fc1.forward(feature).leaky_relu(NegativeSlope);
        x = fc2.forward(x).leaky_relu(NegativeSlope);
        return fc3.forward(x).squeeze(-1).MoveToOuterDisposeScope();
    }
}
