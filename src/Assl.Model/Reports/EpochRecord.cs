namespace Assl.Model.Reports;

/// <summary>What one training epoch produced.</summary>
/// <param name="Epoch">Epoch number as the trainer counts it (1-based by convention, not enforced).</param>
/// <param name="Losses">
/// Mean of each named loss term over the epoch, e.g. "total", "contrastive", "reconstruction". Named rather
/// than fixed fields because self-supervised stages and fine-tuning log different terms.
/// </param>
/// <param name="ValidationTop1">Top-1 accuracy in [0, 1] on the validation set, or null when not evaluated this epoch.</param>
/// <param name="LearningRate">Learning rate in force at the end of the epoch.</param>
/// <param name="Seconds">Wall-clock duration of the epoch.</param>
public sealed record EpochRecord(
    int Epoch,
    Dictionary<string, double> Losses,
    double? ValidationTop1,
    double LearningRate,
    double Seconds);
