using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Scores each of a sample's K neighbours from the pair (anchor, neighbour) and turns the scores into
/// weights α that sum to one over the K; the local class centre is Σ α_k · h̄_k.
/// </summary>
public sealed class NeighbourWeighting : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public NeighbourWeighting(int featureSize, int hidden) : base(nameof(NeighbourWeighting))
    {
        fc1 = nn.Linear(2 * featureSize, hidden);
        fc2 = nn.Linear(hidden, 1);
        RegisterComponents();
    }

    /// <returns>α: (N, K), each row a softmax over the K neighbours.</returns>
    public override Tensor forward(Tensor anchor, Tensor neighbours)
    {
        // anchor: (N, d), neighbours: (N, K, d) -> α: (N, K)
        using var scope = NewDisposeScope();
        var pairs = cat([anchor.unsqueeze(1).expand_as(neighbours), neighbours], dim: 2);
        var scores = fc2.forward(nn.functional.relu(fc1.forward(pairs))).squeeze(-1);
        return nn.functional.softmax(scores, dim: 1).MoveToOuterDisposeScope();
    }

    /// <summary>The local class centre c = Σ_k α_k · h̄_k: (N, d).</summary>
    public static Tensor Centre(Tensor alpha, Tensor neighbours) =>
        WrappedTensorDisposeScope(() => (alpha.unsqueeze(-1) * neighbours).sum(1));
}
