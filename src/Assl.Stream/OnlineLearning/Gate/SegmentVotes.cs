namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>
/// The accepted windows of one body: how many per class, their mean confidence, the newest model version.
/// The class most of them had labels the body's segment (<see cref="PseudoLabelGate.End"/>); replays that
/// emulate segments offline vote the same way.
/// </summary>
public sealed class SegmentVotes
{
    private readonly Dictionary<int, (int Count, double Confidence)> _byClass = [];
    private string _version = "";

    public void Add(int classIndex, float confidence, string modelVersion)
    {
        var (count, sum) = _byClass.GetValueOrDefault(classIndex);
        _byClass[classIndex] = (count + 1, sum + confidence);
        _version = modelVersion;
    }

    /// <summary>The class with the most votes (ties to the lower class), its votes' mean confidence, the newest version.</summary>
    /// <exception cref="InvalidOperationException">No window voted.</exception>
    public (int Class, float Confidence, string Version) Winner()
    {
        var best = _byClass.OrderByDescending(p => p.Value.Count).ThenBy(p => p.Key).First();
        return (best.Key, (float)(best.Value.Confidence / best.Value.Count), _version);
    }
}
