using System.ComponentModel.DataAnnotations;

namespace Assl.Model.Preprocessing;

/// <summary>Random training augmentations applied to normalised (canonical, body-centred) sequences.</summary>
/// <remarks>
/// <see cref="Weak"/> is the supervised/consistency default; <see cref="Strong"/> is the FixMatch-style view
/// whose predictions are trained towards the pseudo-label of the weak view.
/// </remarks>
public sealed record AugmentationOptions
{
    public const string SectionName = "Augmentation";

    /// <summary>Rotation about the vertical (+Y) axis is uniform in ±this many degrees.</summary>
    [Range(0.0, 180.0)]
    public double MaxYawDegrees { get; init; } = 30;

    /// <summary>Rotations about X and about Z are each uniform in ±this many degrees.</summary>
    [Range(0.0, 90.0)]
    public double MaxTiltDegrees { get; init; } = 10;

    [Range(0.01, 100.0)]
    public double MinScale { get; init; } = 0.9;

    [Range(0.01, 100.0)]
    public double MaxScale { get; init; } = 1.1;

    /// <summary>Smallest fraction of the frames a temporal crop keeps before resampling back.</summary>
    [Range(0.01, 1.0)]
    public double MinCropFraction { get; init; } = 0.8;

    [Range(0.01, 1.0)]
    public double MaxCropFraction { get; init; } = 1.0;

    /// <summary>Standard deviation in metres of independent Gaussian noise on every coordinate; 0 is off.</summary>
    [Range(0.0, 1.0)]
    public double JitterSigma { get; init; }

    /// <summary>Probability of zeroing one random body part (see <see cref="JointGroups"/>) for the whole clip.</summary>
    [Range(0.0, 1.0)]
    public double JointGroupMaskProbability { get; init; }

    public static AugmentationOptions Weak { get; } = new();

    public static AugmentationOptions Strong { get; } = new()
    {
        MaxYawDegrees = 60,
        MaxTiltDegrees = 20,
        MinScale = 0.8,
        MaxScale = 1.2,
        MinCropFraction = 0.5,
        JitterSigma = 0.01,
        JointGroupMaskProbability = 0.5,
    };

    /// <summary>Throws <see cref="ValidationException"/> when a setting is out of range or a min exceeds its max.</summary>
    public void Validate()
    {
        Validator.ValidateObject(this, new ValidationContext(this), validateAllProperties: true);
        if (MinScale > MaxScale)
            throw new ValidationException($"MinScale {MinScale} exceeds MaxScale {MaxScale}.");
        if (MinCropFraction > MaxCropFraction)
            throw new ValidationException($"MinCropFraction {MinCropFraction} exceeds MaxCropFraction {MaxCropFraction}.");
    }
}
