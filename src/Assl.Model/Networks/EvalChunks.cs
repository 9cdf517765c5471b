using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Runs a network over a large set of samples in chunks, in eval mode and without gradient, then puts its
/// training flag back: how evaluation, prediction and feature extraction all read a whole set.
/// </summary>
public static class EvalChunks
{
    /// <param name="onChunk">
    /// Called with each chunk (N ≤ <paramref name="batch"/>, T, C) inside its own dispose scope: copy results out
    /// to arrays, or move tensors that must outlive the chunk to the outer scope.
    /// </param>
    public static void Run(AsslNetwork network, Tensor samples, Action<Tensor> onChunk, int batch = 256)
    {
        bool wasTraining = network.training;
        network.eval();
        try
        {
            using var _ = no_grad();
            for (long i = 0; i < samples.shape[0]; i += batch)
            {
                using var scope = NewDisposeScope();
                onChunk(samples.narrow(0, i, Math.Min(batch, samples.shape[0] - i)));
            }
        }
        finally
        {
            network.train(wasTraining);
        }
    }
}
