using System.Numerics;

namespace Assl.Stream.Inference;

/// <summary>
/// The few batch sizes a forward pass runs at when batches are padded (<see cref="InferenceOptions.PadToShapes"/>):
/// 1, 2, 3, 4, then powers of two and three quarters of them (6, 8, 12, 16, 24, 32, 48, 64, …).
/// </summary>
/// <remarks>
/// A server fed by live cameras runs every batch size from 1 to its maximum, and each size leaves activations of its
/// own sizes in glibc's heap, which the next size cannot reuse whole. With the graph model, passes of every size from
/// 1 to 64 grew the engine to 1 452 MB resident, and the same passes padded to these shapes to 690 MB
/// (`assl bench inference-memory`, docs/results/serving-findings.md). A padded pass costs less than half as much again
/// arithmetic, and nothing at the sizes a backlog runs (full batches) or that staggered cameras send (1 to 4).
/// </remarks>
public static class BatchShapes
{
    /// <summary>The smallest shape that holds <paramref name="count"/> windows.</summary>
    public static int Padded(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count <= 4) return count;
        int power = (int)BitOperations.RoundUpToPowerOf2((uint)count);
        int threeQuarters = power / 4 * 3;
        return count <= threeQuarters ? threeQuarters : power;
    }
}
