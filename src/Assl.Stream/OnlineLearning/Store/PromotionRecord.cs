namespace Assl.Stream.OnlineLearning.Store;

/// <summary>One promotion decision: whether <paramref name="ToVersion"/> replaced <paramref name="FromVersion"/>.</summary>
/// <param name="FromVersion">The version served when the decision was made; null for the first one.</param>
/// <param name="ToVersion">The candidate.</param>
/// <param name="Reason">Why, in words (e.g. the validation numbers that decided it).</param>
/// <param name="Accepted">True when the candidate was promoted.</param>
/// <param name="DecidedUnixUs">When, Unix µs.</param>
public sealed record PromotionRecord(string? FromVersion, string ToVersion, string Reason, bool Accepted, long DecidedUnixUs);
