using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Windowing;

/// <summary>How live frames become model windows: the frame grid, the stride, gaps and body lifetime.</summary>
/// <remarks>
/// The window length is not here: it is the model's T, known only once a model is loaded, so the
/// cross-field rule "window length ≥ Stride" is checked by <see cref="CheckWindowLength"/> (and by
/// <see cref="WindowAssembler"/>'s constructor) where T is known.
/// </remarks>
public sealed class WindowingOptions
{
    public const string SectionName = "Windowing";

    /// <summary>Grid frames between consecutive windows of one body (10 at 30 fps: 3 windows a second).</summary>
    [Range(1, 10_000)]
    public int Stride { get; set; } = 10;

    /// <summary>Rate of the grid frames are placed on; must match the rate the model was trained at.</summary>
    [Range(1.0, 1000.0)]
    public double FramesPerSecond { get; set; } = 30;

    /// <summary>Missing grid frames up to this many are linearly interpolated; a longer gap restarts the body's buffer.</summary>
    [Range(0, 1000)]
    public int MaxGapFrames { get; set; } = 5;

    /// <summary>A body not seen for this long (camera time) is closed and its buffer freed.</summary>
    [Range(1, 3_600_000)]
    public int BodyTimeoutMs { get; set; } = 1000;

    /// <summary>Live bodies over all cameras; observations of further new bodies are refused and counted.</summary>
    [Range(1, 1_000_000)]
    public int MaxBodies { get; set; } = 1024;

    /// <summary>The cross-field rule that needs the model's window length; null when it holds.</summary>
    public string? CheckWindowLength(int windowFrames) =>
        windowFrames < 1 ? $"The model's window length must be at least 1 frame, got {windowFrames}."
        : windowFrames < Stride ? $"Windowing:Stride ({Stride}) exceeds the model's window length ({windowFrames}): frames would be skipped."
        : null;
}

/// <summary>Source-generated DataAnnotations validator; register with <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
public sealed partial class ValidateWindowingOptions : IValidateOptions<WindowingOptions>;
