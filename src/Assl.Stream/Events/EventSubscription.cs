using System.Threading.Channels;

namespace Assl.Stream.Events;

/// <summary>
/// One subscriber's mailbox: events for its cameras, buffered in a bounded channel that drops the
/// oldest when full. Dispose it when the subscriber leaves; that unregisters it and ends its reader.
/// </summary>
public sealed class EventSubscription : IDisposable
{
    private readonly Channel<ActionEventRecord> _channel;
    private readonly HashSet<string>? _cameras;
    private readonly Action<EventSubscription> _unsubscribe;
    private readonly Action<ActionEventRecord>? _onDropped;
    private long _dropped;
    private int _disposed;

    internal EventSubscription(IEnumerable<string> cameraIds, int capacity,
        Action<EventSubscription> unsubscribe, Action<ActionEventRecord>? onDropped)
    {
        var cameras = new HashSet<string>(cameraIds, StringComparer.Ordinal);
        _cameras = cameras.Count == 0 ? null : cameras;
        _unsubscribe = unsubscribe;
        _onDropped = onDropped;
        // DropOldest: a subscriber cares about what happens now, and publishing must never wait for it.
        // SingleWriter is false because every Ingest stream publishes; SingleReader because one gRPC call drains it.
        _channel = Channel.CreateBounded<ActionEventRecord>(
            new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            },
            Dropped);
    }

    /// <summary>The events, in publish order per publisher; completes when the subscription is disposed.</summary>
    public ChannelReader<ActionEventRecord> Reader => _channel.Reader;

    /// <summary>Events this subscriber lost because it fell behind.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>The cameras this subscriber wants, or empty for all.</summary>
    public IReadOnlyCollection<string> CameraIds => (IReadOnlyCollection<string>?)_cameras ?? [];

    public bool Accepts(string cameraId) => _cameras is null || _cameras.Contains(cameraId);

    public IAsyncEnumerable<ActionEventRecord> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.ReadAllAsync(cancellationToken);

    internal void Offer(ActionEventRecord record)
    {
        if (Accepts(record.CameraId)) _channel.Writer.TryWrite(record);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }

    private void Dropped(ActionEventRecord record)
    {
        Interlocked.Increment(ref _dropped);
        _onDropped?.Invoke(record);
    }
}
