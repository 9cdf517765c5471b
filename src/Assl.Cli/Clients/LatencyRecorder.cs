namespace Assl.Cli.Clients;

/// <summary>
/// Collects latency samples (milliseconds) from many threads and reports percentiles. Samples are kept
/// whole rather than bucketed: a load test yields at most a few hundred thousand, and exact
/// percentiles make the numbers comparable across runs.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly object _gate = new();
    private readonly List<double> _samples = [];

    public int Count
    {
        get { lock (_gate) return _samples.Count; }
    }

    public void Add(double milliseconds)
    {
        if (!double.IsFinite(milliseconds)) return;
        lock (_gate) _samples.Add(milliseconds);
    }

    public void Clear()
    {
        lock (_gate) _samples.Clear();
    }

    /// <summary>
    /// The <paramref name="percent"/>-th percentile, interpolated linearly between the closest ranks
    /// (numpy's default), or NaN when there are no samples.
    /// </summary>
    public double Percentile(double percent)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percent, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100.0);
        double[] sorted;
        lock (_gate) sorted = [.. _samples];
        return Percentile(sorted, percent);
    }

    public static double Percentile(double[] values, double percent)
    {
        if (values.Length == 0) return double.NaN;
        Array.Sort(values);
        double rank = percent / 100.0 * (values.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, values.Length - 1);
        return values[below] + (values[above] - values[below]) * (rank - below);
    }
}
