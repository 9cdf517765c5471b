using Assl.Model.Training;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>
/// One run the benchmark wants: method, switched-off term, label ratio, seed; and the variant (null: the
/// documented defaults; else the name of the settings file the runs were given, e.g. a tuned ASSL).
/// </summary>
public sealed record BenchmarkSpec(string Method, string? Ablation, double Labels, int Seed, string? Variant = null)
{
    public TrainingConfig Apply(TrainingConfig baseConfig)
    {
        var method = Method switch
        {
            "assl" => TrainingMethod.Assl,
            "supervised" => TrainingMethod.Supervised,
            "pseudo-label" => TrainingMethod.PseudoLabel,
            _ => throw new ArgumentException($"Unknown method {Method}."),
        };
        var config = baseConfig.ForMethod(method) with { LabelRatio = Labels, Seed = Seed };
        return Ablation switch
        {
            null => config,
            "consistency" => config with { LambdaConsistency = 0 },
            "adversarial" => config with { LambdaAdversarial = 0 },
            "inpainting" => config with { LambdaInpainting = 0 },
            _ => throw new ArgumentException($"Unknown ablation {Ablation}."),
        };
    }

    public string Folder => $"{Method}{(Variant is null ? "" : "-" + Variant)}{(Ablation is null ? "" : "-no-" + Ablation)}-r{Labels:0.###}-s{Seed}";

    public override string ToString() =>
        $"{Method}{(Variant is null ? "" : $" ({Variant})")}{(Ablation is null ? "" : " without " + Ablation)}, {Labels:P0} labels, seed {Seed}";
}
