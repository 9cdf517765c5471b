namespace Assl.Model.Experiments;

/// <summary>What one training run produced, as recorded in results and printed by the CLI.</summary>
public sealed record ExperimentResult(
    string Method,
    string? Ablation,
    double Labels,
    int Seed,
    double Top1,
    double Seconds,
    int Epochs,
    bool Cancelled,
    string OutputDirectory);
