using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Tensors;

/// <summary>
/// Backward passes for tests that ask whether gradient arrives, not what it is.
/// </summary>
/// <remarks>
/// libtorch 2.10's CPU conv2d backward intermittently returns NaN at shapes as small as the tests use
/// (nucla-findings.md, 2026-12-05; training skips such steps in HeldScalarAdam), so one pass can fail a test whose
/// question it does not touch. These take the first of a few identical passes whose gradients came out finite.
/// </remarks>
internal static class FiniteBackward
{
    public const int Attempts = 5;

    /// <summary>Zeroes <paramref name="module"/>'s gradients and backpropagates <paramref name="loss"/> until every watched gradient is finite.</summary>
    /// <param name="watched">The parameters whose gradients must be finite; null watches all of the module's.</param>
    public static void Run(nn.Module module, Func<Tensor> loss, IReadOnlyList<Tensor>? watched = null)
    {
        var parameters = watched ?? module.parameters().ToList();
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            module.zero_grad();
            loss().backward();
            if (parameters.All(p => p.grad is null || isfinite(p.grad).all().item<bool>())) return;
        }
    }
}
