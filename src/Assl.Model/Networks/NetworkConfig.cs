namespace Assl.Model.Networks;

/// <summary>Which sequence encoder to build, and its size.</summary>
/// <param name="Kind">
/// "gru" (the default, the paper's line of work) or "gcn" (ours: a spatial-temporal graph convolution over the
/// layout's kinematic tree, <see cref="GcnEncoder"/>).
/// </param>
/// <param name="Hidden">The encoder's feature size h: each recurrent layer's hidden size, or the widest graph block's channels.</param>
/// <param name="Layers">Stacked recurrent layers, or graph blocks.</param>
/// <param name="Dropout">Dropout between recurrent layers, or after each graph block's temporal convolution (training only).</param>
/// <param name="Motion">
/// Ours: the encoder also reads each joint's displacement since the previous frame beside its position. Skeleton
/// models commonly add this motion stream; computed inside the encoder, it leaves the input, the checkpoint's
/// preprocessing and the service unchanged.
/// </param>
/// <param name="Bones">
/// Ours, graph encoder only: each joint also reads its bone, the vector from its parent in the kinematic tree (zero
/// at the root). Graph-convolution models for skeletons commonly feed joints, bones and motion together.
/// </param>
/// <param name="Norm">Graph encoder only: "group" (group normalisation, per sample) or "batch" (ST-GCN's batch normalisation).</param>
public sealed record EncoderConfig(string Kind = "gru", int Hidden = 256, int Layers = 3, double Dropout = 0.0, bool Motion = false,
    bool Bones = false, string Norm = "group");

/// <summary>Everything needed to rebuild an <see cref="AsslNetwork"/> with the same shapes.</summary>
/// <param name="InputChannels">Values per frame: joints × 3.</param>
/// <param name="Classes">Number of action classes.</param>
/// <param name="Encoder">The sequence encoder.</param>
/// <param name="TranslationDim">d: the translation layer's output, the space where neighbours are found.</param>
/// <param name="DecoderHidden">Hidden size of the inpainting decoder's GRU.</param>
/// <param name="WeightingHidden">Hidden width of the neighbour-weighting MLP.</param>
/// <param name="DiscriminatorHidden">Hidden width of the labelled/unlabelled discriminator.</param>
public sealed record AsslNetworkConfig(
    int InputChannels,
    int Classes,
    EncoderConfig Encoder,
    int TranslationDim = 256,
    int DecoderHidden = 256,
    int WeightingHidden = 128,
    int DiscriminatorHidden = 128)
{
    public void Validate()
    {
        if (InputChannels <= 0 || InputChannels % 3 != 0)
            throw new ArgumentException($"InputChannels must be joints × 3, got {InputChannels}.");
        if (Classes < 2) throw new ArgumentException($"Need at least 2 classes, got {Classes}.");
        if (Encoder.Hidden <= 0 || Encoder.Layers <= 0) throw new ArgumentException("Encoder sizes must be positive.");
        if (Encoder.Norm is not ("group" or "batch"))
            throw new ArgumentException($"Encoder norm must be \"group\" or \"batch\", got \"{Encoder.Norm}\".");
        if (Encoder.Bones && !string.Equals(Encoder.Kind, "gcn", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Encoder bone input is a graph-encoder setting; the '{Encoder.Kind}' encoder does not read it.");
        if (TranslationDim <= 0 || DecoderHidden <= 0 || WeightingHidden <= 0 || DiscriminatorHidden <= 0)
            throw new ArgumentException("Layer sizes must be positive.");
    }
}
