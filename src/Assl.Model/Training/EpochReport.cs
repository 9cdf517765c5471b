namespace Assl.Model.Training;

/// <summary>What one epoch did: mean of each loss term, evaluation accuracy if measured, timing.</summary>
public sealed record EpochReport(
    int Epoch,
    int Epochs,
    IReadOnlyDictionary<string, double> Losses,
    double? TestTop1,
    double LearningRate,
    double Seconds,
    double ElapsedSeconds)
{
    /// <summary>Optimizer steps skipped this epoch because a gradient was not finite (see <see cref="HeldScalarAdam.Step"/>).</summary>
    public long SkippedSteps { get; init; }

    public TimeSpan EstimatedRemaining => TimeSpan.FromSeconds(ElapsedSeconds / Epoch * (Epochs - Epoch));
}
