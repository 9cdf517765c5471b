using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// The ASSL network: encoder → translation layer → classifier for recognition, plus the parts that
/// only training uses (inpainting decoder, neighbour weighting, discriminator).
/// </summary>
/// <remarks>
/// Field names follow PyTorch conventions so state-dict keys stay portable to a PyTorch user.
/// Serving calls <see cref="forward"/>, which touches only encoder, translation and classifier.
/// </remarks>
public sealed class AsslNetwork : nn.Module<Tensor, Tensor>
{
    private readonly SequenceEncoder encoder;
    private readonly Linear translation;
    private readonly Linear classifier;
    private readonly InpaintingDecoder decoder;
    private readonly NeighbourWeighting weighting;
    private readonly Discriminator discriminator;

    public AsslNetwork(AsslNetworkConfig config) : base(nameof(AsslNetwork))
    {
        config.Validate();
        Config = config;
        encoder = SequenceEncoder.Create(config.Encoder, config.InputChannels);
        translation = nn.Linear(encoder.OutputSize, config.TranslationDim);
        classifier = nn.Linear(config.TranslationDim, config.Classes);
        decoder = new InpaintingDecoder(encoder.OutputSize, config.DecoderHidden, config.InputChannels);
        weighting = new NeighbourWeighting(config.TranslationDim, config.WeightingHidden);
        discriminator = new Discriminator(config.TranslationDim, config.DiscriminatorHidden);
        RegisterComponents();
    }

    public AsslNetworkConfig Config { get; }

    public NeighbourWeighting Weighting => weighting;

    public Discriminator LabelDiscriminator => discriminator;

    /// <summary>Class logits for a batch of sequences: (N, T, C) → (N, classes).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Classify(Translate(Encode(x))).MoveToOuterDisposeScope();
    }

    /// <summary>h: (N, T, C) → (N, H).</summary>
    public Tensor Encode(Tensor x)
    {
        if (x.dim() != 3 || x.shape[2] != Config.InputChannels)
            throw new ArgumentException(
                $"Expected (N, T, {Config.InputChannels}) input, got ({string.Join(", ", x.shape)}).", nameof(x));
        // call, not forward: forward hooks (profilers, tests that count passes) see every encoder pass.
        return encoder.call(x);
    }

    /// <summary>h̄ = translation(h): the discriminative space, (N, d).</summary>
    public Tensor Translate(Tensor h) => translation.forward(h);

    public Tensor Classify(Tensor translated) => classifier.forward(translated);

    /// <summary>
    /// The classifier with its weights detached: the consistency target (the local centre) must not
    /// move the classifier, or it could agree with the sample by blurring every class.
    /// </summary>
    public Tensor ClassifyWithFrozenHead(Tensor translated) =>
        nn.functional.linear(translated, classifier.weight!.detach(), classifier.bias?.detach());

    /// <summary>Reconstructs the full sequence (N, T, C) from h and the masked input.</summary>
    public Tensor Inpaint(Tensor h, Tensor maskedInput) => decoder.forward(h, maskedInput);

    /// <summary>The parameters serving needs; training-only heads are excluded.</summary>
    public IEnumerable<Parameter> RecognitionParameters() =>
        encoder.parameters().Concat(translation.parameters()).Concat(classifier.parameters());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            encoder.Dispose();
            translation.Dispose();
            classifier.Dispose();
            decoder.Dispose();
            weighting.Dispose();
            discriminator.Dispose();
            ClearModules();
        }
        base.Dispose(disposing);
    }
}
