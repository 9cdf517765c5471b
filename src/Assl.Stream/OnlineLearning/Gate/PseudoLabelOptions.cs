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

    /// <summary>
    /// What a pseudo-label is stored on: each accepted window (the default), or the body's whole movement (its track
    /// from first to last frame, resampled to the model's T) once the body ends, labelled with the class most of its
    /// accepted windows had. Models trained on whole clips (N-UCLA) learn more from segments than from windows
    /// (docs/results/online-tuning.md, session 8).
    /// </summary>
    public SampleForm Samples { get; set; } = SampleForm.Windows;

    /// <summary>
    /// What unlabelled data is stored as: an evenly spread <see cref="UnlabelledShare"/> of all windows (the default), or
    /// every ended body's whole track, resampled to T (then no window is kept unlabelled). The self-supervised and
    /// teacher terms then see what the model is trained and tested on: whole movements.
    /// </summary>
    public SampleForm UnlabelledSamples { get; set; } = SampleForm.Windows;

    /// <summary>With segments (<see cref="Samples"/> or <see cref="UnlabelledSamples"/>): the longest track kept as one segment, in grid frames (300: 10 s at 30 fps); longer tracks give none.</summary>
    [Range(1, 100_000)]
    public int MaxSegmentFrames { get; set; } = 300;

    /// <summary>Grid frames of each body's track the windowing stage must keep for segments: 0 unless they are on.</summary>
    public int SegmentFramesToKeep =>
        Enabled && (Samples == SampleForm.Segments || UnlabelledSamples == SampleForm.Segments) ? MaxSegmentFrames : 0;

    /// <summary>With <see cref="UnlabelledSamples"/> = Windows: share of all windows (confident or not) kept as unlabelled data for the self-supervised losses.</summary>
    [Range(0.0, 1.0)]
    public double UnlabelledShare { get; set; } = 0.1;
}

/// <summary>What the online loop stores a sample on.</summary>
public enum SampleForm
{
    /// <summary>A served window (T grid frames).</summary>
    Windows,

    /// <summary>
    /// A body's whole track, resampled to T, when the body ends: for a pseudo-label, if the gate accepted any of its
    /// windows; for unlabelled data, always.
    /// </summary>
    Segments,
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
