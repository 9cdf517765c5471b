using System.Numerics;

namespace Assl.Stream.Inference;

/// <summary>
/// The batch sizes a forward pass runs at when batches are padded (<see cref="InferenceOptions.PadToShapes"/>): every size
/// up to 8, then each power of two and five, six and seven eighths of it (10, 12, 14, 16, 20, 24, 28, 32, 40, …).
/// </summary>
/// <remarks>
/// A server fed by live cameras runs every batch size from 1 to its maximum, and each size leaves activations of its
/// own sizes in glibc's heap, which the next size cannot reuse whole. With the graph model, passes of every size from
/// 1 to 64 grew the engine to 1 452 MB resident, and the same passes padded to a dozen shapes to 690 MB
/// (`assl bench inference-memory`, docs/results/serving-findings.md). Padding is not free, though: this model's cost
/// per window hardly depends on the batch size, so a padded row costs as much as a real one. Shapes a quarter apart
/// (5 → 6, 9 → 12, 17 → 24) wasted up to a third of a pass; an eighth apart they waste at most a fifth (33 → 40) and
/// 4–5 % on average over sizes 1–24 or 1–64, and at the server's maximum of 24 keep the same memory as the dozen (455–467 against
/// 451–454 MB over sizes 1–24; every size exact: 524–552 MB) while running 10 % more windows/s.
/// </remarks>
public static class BatchShapes
{
    /// <summary>The smallest shape that holds <paramref name="count"/> windows.</summary>
    public static int Padded(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count <= 8) return count;
        int power = (int)BitOperations.RoundUpToPowerOf2((uint)count);
        // count lies above half the power, so rounding up to whole eighths gives five, six, seven or eight of them.
        int eighth = power / 8;
        return (count + eighth - 1) / eighth * eighth;
    }
}
