namespace Assl.Model.Training;

/// <summary>What the trainer optimises; baselines share the encoder and the schedule with ASSL.</summary>
public enum TrainingMethod
{
    /// <summary>CE + inpainting + neighbourhood consistency + adversarial regulariser.</summary>
    Assl,

    /// <summary>Cross-entropy on the labelled part alone.</summary>
    Supervised,

    /// <summary>FixMatch-style: confident predictions on a weak view train a strong view.</summary>
    PseudoLabel,
}
