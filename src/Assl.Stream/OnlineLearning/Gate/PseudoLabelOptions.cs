using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Assl.Stream.OnlineLearning.Gate;

/// <summary>Which served windows the online loop keeps, and with what label.</summary>
public sealed class PseudoLabelOptions
{
    public const string SectionName = "PseudoLabels";

    /// <summary>Keep windows at all (off: the server only recognises).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Smoothed confidence a window's top class needs to become a pseudo-label.</summary>
    [Range(0.5, 1.0)]
    public double Threshold { get; set; } = 0.95;

    /// <summary>
    /// Lower the bar for classes the model is rarely confident about (FlexMatch-style, see <see cref="ClassThresholds"/>);
    /// off: every class needs <see cref="Threshold"/>.
    /// </summary>
    public bool ClassAdaptive { get; set; }

    /// <summary>With <see cref="ClassAdaptive"/>: the lowest bar any class can get.</summary>
    [Range(0.5, 1.0)]
    public double MinThreshold { get; set; } = 0.8;

    /// <summary>With <see cref="ClassAdaptive"/>: confident windows seen before thresholds start to adapt.</summary>
    [Range(0, 10_000_000)]
    public int AdaptiveWarmupWindows { get; set; } = 200;

    /// <summary>Consecutive overlapping windows of one body that must agree, all above the threshold.</summary>
    [Range(1, 100)]
    public int ConsecutiveWindows { get; set; } = 3;

    /// <summary>Most pseudo-labelled windows per class this process adds, so one frequent action cannot flood the pool.</summary>
    [Range(1, 10_000_000)]
    public int MaxPerClass { get; set; } = 5000;

    /// <summary>Share of all windows (confident or not) kept as unlabelled data for the self-supervised losses.</summary>
    [Range(0.0, 1.0)]
    public double UnlabelledShare { get; set; } = 0.1;
}

[OptionsValidator]
public sealed partial class ValidatePseudoLabelOptions : IValidateOptions<PseudoLabelOptions>;

/// <summary>The rule that spans two fields: the floor cannot be above the bar it lowers.</summary>
public sealed class ValidatePseudoLabelThresholds : IValidateOptions<PseudoLabelOptions>
{
    public ValidateOptionsResult Validate(string? name, PseudoLabelOptions options) =>
        options.MinThreshold > options.Threshold
            ? ValidateOptionsResult.Fail($"PseudoLabels:MinThreshold ({options.MinThreshold}) cannot be above PseudoLabels:Threshold ({options.Threshold}).")
            : ValidateOptionsResult.Success;
}
