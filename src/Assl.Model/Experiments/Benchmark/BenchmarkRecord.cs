using System.Text.Json.Serialization;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>
/// One finished run, as stored in docs/results/nucla.json (labels and top1 are fractions). <c>variant</c> is
/// written only for runs with settings other than the documented defaults.
/// </summary>
public sealed record BenchmarkRecord(
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("ablation")] string? Ablation,
    [property: JsonPropertyName("labels")] double Labels,
    [property: JsonPropertyName("seed")] int Seed,
    [property: JsonPropertyName("top1")] double Top1,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("variant"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Variant = null)
{
    public bool SameRunAs(BenchmarkSpec spec) =>
        Method == spec.Method && Ablation == spec.Ablation && Math.Abs(Labels - spec.Labels) < 1e-9 && Seed == spec.Seed && Variant == spec.Variant;

    public BenchmarkSpec ToSpec() => new(Method, Ablation, Labels, Seed, Variant);
}
