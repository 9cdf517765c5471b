using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Events;

/// <summary>How per-window class probabilities become action events, and how they are fanned out.</summary>
public sealed class EventOptions : IValidatableObject
{
    public const string SectionName = "Events";

    /// <summary>EMA weight of the newest window's probabilities (1 = no smoothing).</summary>
    [Range(0.01, 1.0)]
    public double SmoothingAlpha { get; set; } = 0.5;

    /// <summary>Smoothed probability a class must reach for an action to start.</summary>
    [Range(0.0, 1.0)]
    public double StartThreshold { get; set; } = 0.6;

    /// <summary>The active class ends below this; lower than <see cref="StartThreshold"/> so scores hovering at the threshold do not flicker.</summary>
    [Range(0.0, 1.0)]
    public double EndThreshold { get; set; } = 0.4;

    /// <summary>Consecutive windows with the same top class at or above <see cref="StartThreshold"/> before STARTED.</summary>
    [Range(1, 1000)]
    public int MinStartWindows { get; set; } = 2;

    /// <summary>Consecutive windows with the active class below <see cref="EndThreshold"/> before ENDED.</summary>
    [Range(1, 1000)]
    public int MinEndWindows { get; set; } = 2;

    /// <summary>With no active action, a top smoothed probability below this means UNKNOWN.</summary>
    [Range(0.0, 1.0)]
    public double UnknownThreshold { get; set; } = 0.35;

    /// <summary>Classes listed in each event's top-k.</summary>
    [Range(1, 100)]
    public int TopK { get; set; } = 3;

    /// <summary>
    /// Undelivered events a subscriber may hold; past it its oldest are dropped (and counted), so a
    /// slow consumer never blocks the streams that publish.
    /// </summary>
    [Range(1, 1_000_000)]
    public int SubscriberCapacity { get; set; } = 256;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (EndThreshold > StartThreshold)
        {
            yield return new ValidationResult(
                $"EndThreshold ({EndThreshold}) must not exceed StartThreshold ({StartThreshold}): the hysteresis would be inverted.",
                [nameof(EndThreshold), nameof(StartThreshold)]);
        }
        if (UnknownThreshold > StartThreshold)
        {
            yield return new ValidationResult(
                $"UnknownThreshold ({UnknownThreshold}) must not exceed StartThreshold ({StartThreshold}).",
                [nameof(UnknownThreshold), nameof(StartThreshold)]);
        }
    }
}

/// <summary>Source-generated validator (DataAnnotations and the cross-field rules above); register with <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
public sealed partial class ValidateEventOptions : IValidateOptions<EventOptions>;
