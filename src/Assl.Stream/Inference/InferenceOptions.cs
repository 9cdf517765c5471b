using System.ComponentModel.DataAnnotations;

namespace Assl.Stream.Inference;

/// <summary>Which model the server runs, and where.</summary>
public sealed class InferenceOptions
{
    public const string SectionName = "Inference";

    /// <summary>The .assl checkpoint to serve; relative paths are resolved against the server's folder.</summary>
    [Required]
    public string ModelPath { get; set; } = Path.Combine("models", "nucla-default.assl");

    /// <summary>"cpu", "cuda" or "cuda:N". Asking for CUDA on a CPU build stops the server at start-up.</summary>
    [Required]
    [RegularExpression("^(cpu|cuda(:[0-9]+)?)$", ErrorMessage = "Inference:Device must be cpu, cuda or cuda:N.")]
    public string Device { get; set; } = "cpu";

    /// <summary>libtorch intra-op threads for inference; 0 keeps libtorch's default (all cores).</summary>
    [Range(0, 256)]
    public int Threads { get; set; }
}
