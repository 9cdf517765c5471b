using Assl.Proto.V1;

namespace Assl.Cli.Clients;

/// <summary>Counts what load-test streams get back; records latencies only while the measured interval runs.</summary>
public sealed class LoadTestObserver : IReplayObserver
{
    private long _events, _rejections;
    private volatile bool _measuring;

    public LatencyRecorder Latency { get; } = new();

    public long Events => Interlocked.Read(ref _events);

    public long Rejections => Interlocked.Read(ref _rejections);

    public bool Measuring
    {
        get => _measuring;
        set => _measuring = value;
    }

    public void OnEvent(ReplayedEvent replayed)
    {
        Interlocked.Increment(ref _events);
        if (_measuring && replayed.LatencyMs is { } ms) Latency.Add(ms);
    }

    public void OnRejection(string cameraId, FrameRejection rejection) => Interlocked.Increment(ref _rejections);
}
