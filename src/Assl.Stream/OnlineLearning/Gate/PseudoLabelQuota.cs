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

    public int Taken(int classIndex)
    {
        lock (_gate) return _taken.GetValueOrDefault(classIndex);
    }
}
