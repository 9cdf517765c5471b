namespace Assl.Stream.Events;

/// <summary>A recognition event for one body; mapped to the wire's ActionEvent by <see cref="ActionEventMapper"/>.</summary>
/// <param name="ClassIndex">The event's class, or -1 for <see cref="ActionEventKind.Unknown"/>.</param>
/// <param name="ClassName">The class name, or empty for <see cref="ActionEventKind.Unknown"/>.</param>
/// <param name="Confidence">Smoothed probability of the class (of the top class for Unknown).</param>
/// <param name="TopK">Highest smoothed probabilities, best first.</param>
/// <param name="WindowStartUs">First frame of the window, camera clock.</param>
/// <param name="WindowEndUs">Last frame of the window, camera clock.</param>
/// <param name="ServerReceivedUnixUs">Server wall clock when the window's newest frame arrived.</param>
public sealed record ActionEventRecord(
    string CameraId,
    ulong BodyId,
    ActionEventKind Kind,
    int ClassIndex,
    string ClassName,
    float Confidence,
    IReadOnlyList<ScoredClass> TopK,
    long WindowStartUs,
    long WindowEndUs,
    string ModelVersion,
    long ServerReceivedUnixUs);
