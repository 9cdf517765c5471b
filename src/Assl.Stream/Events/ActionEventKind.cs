namespace Assl.Stream.Events;

/// <summary>Domain twin of the wire's EventKind; see <see cref="ActionStateMachine"/> for when each is emitted.</summary>
public enum ActionEventKind
{
    Started,
    Ongoing,
    Ended,
    Unknown,
}
