namespace Assl.Model.Training.FineTuning;

/// <summary>
/// How one online fine-tuning run trains a copy of the serving model. Defaults are sized for a
/// 2-core machine that keeps serving while it trains: a few hundred small steps, one thread.
/// </summary>
public sealed record FineTuneConfig
{
    /// <summary>Optimiser steps per run.</summary>
    public int Steps { get; init; } = 300;

    /// <summary>Samples per step from each source (labelled, pseudo-labelled, unlabelled).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Lower than from-scratch training: the run adjusts a trained model, it does not relearn it.</summary>
    public double LearningRate { get; init; } = 2e-4;

    /// <summary>Weight of the pseudo-labelled cross-entropy against the labelled one: pseudo-labels can be wrong.</summary>
    public double PseudoLabelWeight { get; init; } = 0.5;

    /// <summary>Decay of the EMA teacher; the teacher, not the student, becomes the candidate.</summary>
    public double EmaDecay { get; init; } = 0.99;

    /// <summary>ASSL's self-supervised terms on the unlabelled windows (0 switches a term off).</summary>
    public double LambdaInpainting { get; init; } = 1.0;

    public double LambdaAdversarial { get; init; } = 0.1;

    /// <summary>
    /// Neighbourhood consistency on unlabelled windows. Off by default: on N-UCLA it cost 8.6 points at
    /// 5 % labels (docs/results/nucla.md), and online the neighbourhoods are built from the model's own guesses.
    /// </summary>
    public double LambdaConsistency { get; init; }

    /// <summary>
    /// Weight of the teacher term: on each unlabelled window the EMA teacher's answer for a weakly augmented
    /// view, where it reaches <see cref="TeacherThreshold"/>, teaches the student a strongly augmented view
    /// (FixMatch with a mean teacher). It reaches the windows the gate did not keep; 0 switches it off.
    /// </summary>
    public double LambdaTeacher { get; init; }

    /// <summary>Teacher confidence at which an unlabelled window teaches (the gate's own threshold is higher: it keeps windows for good).</summary>
    public double TeacherThreshold { get; init; } = 0.8;

    /// <summary>K of the neighbourhood-consistency term.</summary>
    public int Neighbours { get; init; } = 10;

    public double MaskFrameFraction { get; init; } = 0.3;

    public bool MaskJointGroup { get; init; } = true;

    /// <summary>Augmentation of the labelled and unlabelled batches.</summary>
    public AugmentationConfig Augmentation { get; init; } = AugmentationConfig.Weak;

    /// <summary>Augmentation of the pseudo-labelled batch (stronger, as in FixMatch, so the model learns more than its own answer).</summary>
    public AugmentationConfig PseudoLabelAugmentation { get; init; } = AugmentationConfig.Strong;

    public int Seed { get; init; } = 1;

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"Steps must be at least 1 (was {Steps}).");
        if (BatchSize < 2) throw new ArgumentException($"BatchSize must be at least 2 (was {BatchSize}).");
        if (LearningRate <= 0 || !double.IsFinite(LearningRate)) throw new ArgumentException($"LearningRate must be positive (was {LearningRate}).");
        if (PseudoLabelWeight < 0) throw new ArgumentException($"PseudoLabelWeight must not be negative (was {PseudoLabelWeight}).");
        if (EmaDecay is < 0 or >= 1) throw new ArgumentException($"EmaDecay must be in [0, 1) (was {EmaDecay}).");
        if (LambdaInpainting < 0 || LambdaAdversarial < 0 || LambdaConsistency < 0 || LambdaTeacher < 0) throw new ArgumentException("Loss weights must not be negative.");
        if (TeacherThreshold is < 0 or > 1 || double.IsNaN(TeacherThreshold)) throw new ArgumentException($"TeacherThreshold must be in [0, 1] (was {TeacherThreshold}).");
        if (Neighbours < 1) throw new ArgumentException($"Neighbours must be at least 1 (was {Neighbours}).");
        if (MaskFrameFraction is <= 0 or >= 1) throw new ArgumentException($"MaskFrameFraction must be in (0, 1) (was {MaskFrameFraction}).");
    }
}
