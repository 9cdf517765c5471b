using Assl.Model.Tensors;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Translated features h̄ of every unlabelled sample, refreshed with each batch's features as they are
/// computed; neighbours are found by cosine similarity against it.
/// </summary>
public sealed class MemoryBank : IDisposable
{
    private readonly Tensor _features;

    public MemoryBank(Tensor initialFeatures)
    {
        // initial: (N_U, d). The bank holds raw h̄ (the centre is built from them); similarity normalises.
        _features = initialFeatures.detach().clone();
    }

    public long Count => _features.shape[0];

    public Tensor Features => _features;

    /// <summary>Overwrites the rows of the samples just seen.</summary>
    public void Update(Tensor indices, Tensor features)
    {
        using var _ = no_grad();
        _features.index_copy_(0, indices, features.detach());
    }

    /// <summary>
    /// K nearest neighbours of each query by cosine similarity, the query's own row excluded.
    /// </summary>
    /// <returns>Indices into the bank: (N, K), nearest first.</returns>
    public Tensor Neighbours(Tensor queries, Tensor selfIndices, int k)
    {
        if (k >= Count) throw new ArgumentOutOfRangeException(nameof(k), $"K={k} needs more than {Count} samples in the bank.");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var q = nn.functional.normalize(queries.detach(), dim: 1);
        var bank = nn.functional.normalize(_features, dim: 1);
        var similarity = q.matmul(bank.T);
        var self = selfIndices.unsqueeze(1);
        similarity.scatter_(1, self, HeldScalarMath.Filled(self.shape, float.NegativeInfinity, similarity.dtype, similarity.device));
        var (_, indices) = similarity.topk(k, dim: 1);
        return indices.MoveToOuterDisposeScope();
    }

    /// <summary>The bank rows for a (N, K) index tensor: (N, K, d), no gradient.</summary>
    public Tensor Gather(Tensor indices)
    {
        using var scope = NewDisposeScope();
        var flat = _features.index_select(0, indices.reshape(-1));
        return flat.reshape(indices.shape[0], indices.shape[1], -1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _features.Dispose();
}
