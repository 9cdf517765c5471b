using Assl.Cli.Clients;

namespace Assl.Cli.Tests.Clients;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void PercentilesInterpolateBetweenClosestRanks()
    {
        var recorder = new LatencyRecorder();
        // 1..100 shuffled: the order of arrival must not matter.
        foreach (var v in Enumerable.Range(1, 100).OrderBy(i => (i * 37) % 101)) recorder.Add(v);

        Assert.Equal(100, recorder.Count);
        Assert.Equal(50.5, recorder.Percentile(50), 9);
        Assert.Equal(95.05, recorder.Percentile(95), 9);
        Assert.Equal(99.01, recorder.Percentile(99), 9);
        Assert.Equal(1, recorder.Percentile(0), 9);
        Assert.Equal(100, recorder.Percentile(100), 9);
    }

    [Fact]
    public void SmallAndEmptySetsAreHandled()
    {
        var recorder = new LatencyRecorder();
        Assert.True(double.IsNaN(recorder.Percentile(50)));
        recorder.Add(7);
        Assert.Equal(7, recorder.Percentile(99));
        recorder.Add(double.NaN); // ignored: not a latency
        recorder.Add(9);
        Assert.Equal(8, recorder.Percentile(50), 9);
        Assert.Throws<ArgumentOutOfRangeException>(() => recorder.Percentile(101));
    }
}
