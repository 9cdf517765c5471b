using Assl.Model.Training;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>One run the benchmark wants: method, switched-off term, label ratio, seed.</summary>
public sealed record BenchmarkSpec(string Method, string? Ablation, double Labels, int Seed)
{
    public TrainingConfig Apply(TrainingConfig baseConfig)
    {
        var config = baseConfig with
        {
            Method = Method switch
            {
                "assl" => TrainingMethod.Assl,
                "supervised" => TrainingMethod.Supervised,
                "pseudo-label" => TrainingMethod.PseudoLabel,
                _ => throw new ArgumentException($"Unknown method {Method}."),
            },
            LabelRatio = Labels,
            Seed = Seed,
        };
        return Ablation switch
        {
            null => config,
            "consistency" => config with { LambdaConsistency = 0 },
            "adversarial" => config with { LambdaAdversarial = 0 },
            "inpainting" => config with { LambdaInpainting = 0 },
            _ => throw new ArgumentException($"Unknown ablation {Ablation}."),
        };
    }

    public string Folder => $"{Method}{(Ablation is null ? "" : "-no-" + Ablation)}-r{Labels:0.###}-s{Seed}";

    public override string ToString() =>
        $"{Method}{(Ablation is null ? "" : " without " + Ablation)}, {Labels:P0} labels, seed {Seed}";
}
