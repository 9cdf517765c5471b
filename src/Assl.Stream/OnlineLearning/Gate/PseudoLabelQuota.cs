namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>Per-class caps on pseudo-labels, shared by every stream of the server (thread-safe).</summary>
public sealed class PseudoLabelQuota(int maxPerClass)
{
    private readonly Dictionary<int, int> _taken = [];
    private readonly Lock _gate = new();

    public bool TryTake(int classIndex)
    {
        lock (_gate)
        {
            int taken = _taken.GetValueOrDefault(classIndex);
            if (taken >= maxPerClass) return false;
            _taken[classIndex] = taken + 1;
            return true;
        }
    }

    /// <summary>
    /// Takes the counts the store holds now, so the caps survive a restart and free up as retention deletes
    /// old samples. Samples still queued for the writer are not in the store yet: a class may overshoot its
    /// cap by that many, which is harmless.
    /// </summary>
    public void Sync(IReadOnlyDictionary<int, long> stored)
    {
        lock (_gate)
        {
            _taken.Clear();
            foreach (var (classIndex, count) in stored) _taken[classIndex] = (int)Math.Min(count, int.MaxValue);
        }
    }

    public int Taken(int classIndex)
    {
        lock (_gate) return _taken.GetValueOrDefault(classIndex);
    }
}
