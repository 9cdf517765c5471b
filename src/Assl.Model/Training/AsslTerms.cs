using Assl.Model.Networks;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// ASSL's self-supervised terms for one batch, unweighted: shared by from-scratch training
/// (<see cref="AsslTrainer"/>) and online fine-tuning, which weigh and schedule them differently.
/// </summary>
public static class AsslTerms
{
    /// <summary>Masks part of <paramref name="x"/> and scores the decoder's reconstruction of the masked part.</summary>
    public static Tensor Inpainting(AsslNetwork network, Tensor x, InpaintingMasker masker, Random rng) =>
        MaskedPass(network, x, masker, rng, decode: true).Inpainting!;

    /// <summary>
    /// Masks part of <paramref name="x"/> and encodes the masked copy once: its features, for any head that reads
    /// the masked copy, and (when <paramref name="decode"/>) the decoder's reconstruction loss on the masked part.
    /// </summary>
    public static (Tensor Features, Tensor? Inpainting) MaskedPass(AsslNetwork network, Tensor x, InpaintingMasker masker, Random rng, bool decode)
    {
        var mask = masker.Create(x.shape[0], x.shape[1], x.shape[2], rng, x.device);
        var masked = x * ones_like(mask).sub_(mask);
        var features = network.Encode(masked);
        return (features, decode ? AsslLosses.Inpainting(network.Inpaint(features, masked), x, mask) : null);
    }

    /// <summary>
    /// Neighbourhood consistency of the unlabelled samples <paramref name="ui"/> (translated features
    /// <paramref name="translatedU"/>, logits <paramref name="logitsU"/>) with their K-neighbour local class centre;
    /// then refreshes their rows of the memory bank.
    /// </summary>
    public static Tensor Consistency(AsslNetwork network, MemoryBank bank, Tensor translatedU, Tensor ui, Tensor logitsU, int neighbours,
        double temperature = 1.0, double minConfidence = 0.0)
    {
        var nearest = bank.Gather(bank.Neighbours(translatedU, ui, neighbours));
        // The anchor enters the weighting MLP detached: the MLP learns which neighbours to trust,
        // the encoder learns only from being pulled towards the centre.
        var alpha = network.Weighting.forward(translatedU.detach(), nearest);
        var centre = NeighbourWeighting.Centre(alpha, nearest);
        var loss = AsslLosses.Consistency(network.ClassifyWithFrozenHead(centre), logitsU, temperature, minConfidence);
        bank.Update(ui, translatedU);
        return loss;
    }

    /// <summary>The discriminator, behind gradient reversal, on the first <paramref name="labelled"/> rows against the rest.</summary>
    public static Tensor Adversarial(AsslNetwork network, Tensor translated, long labelled)
    {
        var d = network.LabelDiscriminator.forward(GradientReversal.Apply(translated));
        return AsslLosses.Adversarial(d.narrow(0, 0, labelled), d.narrow(0, labelled, translated.shape[0] - labelled));
    }
}
