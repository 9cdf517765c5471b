namespace Assl.Stream.Events;

/// <summary>
/// Fans events out to subscribers (Subscribe calls), each with a camera filter and its own bounded
/// mailbox, so one slow subscriber never delays publishing or the others.
/// </summary>
/// <remarks>
/// Publishing reads a copy-on-write array snapshot of the subscribers without locking: it runs once per event
/// on every Ingest stream, while subscribing and leaving are rare and swap the snapshot under a lock.
/// An event published while a subscriber is being removed may or may not reach it.
/// </remarks>
public sealed class EventRouter
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly Action<ActionEventRecord>? _onDropped;
    private EventSubscription[] _subscribers = [];

    /// <param name="options">Supplies <see cref="EventOptions.SubscriberCapacity"/>.</param>
    /// <param name="onDropped">Called (on the publishing thread) for every event a subscriber lost, e.g. to count it in metrics.</param>
    public EventRouter(EventOptions options, Action<ActionEventRecord>? onDropped = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SubscriberCapacity, 1);
        _capacity = options.SubscriberCapacity;
        _onDropped = onDropped;
    }

    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Registers a subscriber for the given cameras (none = all cameras). Dispose the result to leave.</summary>
    public EventSubscription Subscribe(IEnumerable<string>? cameraIds = null)
    {
        var subscription = new EventSubscription(cameraIds ?? [], _capacity, Unsubscribe, _onDropped);
        lock (_gate) _subscribers = [.. _subscribers, subscription];
        return subscription;
    }

    /// <summary>Offers the event to every subscriber that wants its camera; never blocks.</summary>
    public void Publish(ActionEventRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber.Offer(record);
    }

    public void Publish(IEnumerable<ActionEventRecord> records)
    {
        foreach (var record in records) Publish(record);
    }

    private void Unsubscribe(EventSubscription subscription)
    {
        lock (_gate) _subscribers = Array.FindAll(_subscribers, s => !ReferenceEquals(s, subscription));
    }
}
