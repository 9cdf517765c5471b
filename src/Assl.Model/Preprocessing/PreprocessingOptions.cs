using System.ComponentModel.DataAnnotations;

namespace Assl.Model.Preprocessing;

/// <summary>How raw sequences become model input (see docs/assl-method.md, "Our decisions").</summary>
public sealed record PreprocessingOptions
{
    public const string SectionName = "Preprocessing";

    /// <summary>Frames per sample after resampling (T).</summary>
    [Range(1, 10_000)]
    public int Frames { get; init; } = 50;

    /// <summary>Move the first frame's centre (spine) joint to the origin.</summary>
    public bool CentreOnSpine { get; init; } = true;

    /// <summary>Rotate so hip→spine is +Y and the shoulders lie along +X. Units are converted to canonical metres either way.</summary>
    public bool ViewNormalisation { get; init; } = true;

    /// <summary>Leading well-defined frames averaged for the body axes; 1 uses the first good frame alone.</summary>
    [Range(1, 1_000)]
    public int AxisFrames { get; init; } = ViewNormalizer.DefaultAxisFrames;

    /// <summary>Throws <see cref="ValidationException"/> when a setting is out of range.</summary>
    public void Validate() => Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
}
