using static TorchSharp.torch;

namespace Assl.Model.Training.FineTuning;

/// <summary>
/// The tensors of one fine-tuning run, on the training device, each sample (T, C) preprocessed as for
/// inference: the original labelled set, the pseudo-labelled windows with their labels, and the
/// unlabelled windows (which may be empty).
/// </summary>
public sealed class FineTuneData : IDisposable
{
    private FineTuneData(Tensor labelled, Tensor labels, Tensor pseudo, Tensor pseudoLabels, Tensor unlabelled)
    {
        Labelled = labelled;
        Labels = labels;
        Pseudo = pseudo;
        PseudoLabels = pseudoLabels;
        Unlabelled = unlabelled;
    }

    public Tensor Labelled { get; }
    public Tensor Labels { get; }
    public Tensor Pseudo { get; }
    public Tensor PseudoLabels { get; }
    public Tensor Unlabelled { get; }

    public long LabelledCount => Labelled.shape[0];
    public long PseudoCount => Pseudo.shape[0];
    public long UnlabelledCount => Unlabelled.shape[0];

    /// <param name="classes">Number of classes: every label must be below it.</param>
    public static FineTuneData Create(
        IReadOnlyList<float[]> labelled, IReadOnlyList<int> labels,
        IReadOnlyList<float[]> pseudo, IReadOnlyList<int> pseudoLabels,
        IReadOnlyList<float[]> unlabelled,
        int frames, int channels, int classes, Device device)
    {
        if (labelled.Count == 0) throw new ArgumentException("Fine-tuning needs the labelled set: without it nothing anchors the model to the true classes.");
        if (labelled.Count != labels.Count) throw new ArgumentException($"{labelled.Count} labelled samples but {labels.Count} labels.");
        if (pseudo.Count != pseudoLabels.Count) throw new ArgumentException($"{pseudo.Count} pseudo-labelled samples but {pseudoLabels.Count} labels.");
        if (labels.Concat(pseudoLabels).Any(l => l < 0 || l >= classes)) throw new ArgumentException($"A label is outside 0..{classes - 1}.");
        return new FineTuneData(
            TrainingData.Stack(labelled, frames, channels, device),
            tensor(labels.Select(l => (long)l).ToArray(), device: device),
            TrainingData.Stack(pseudo, frames, channels, device),
            tensor(pseudoLabels.Select(l => (long)l).ToArray(), device: device),
            TrainingData.Stack(unlabelled, frames, channels, device));
    }

    public void Dispose()
    {
        Labelled.Dispose();
        Labels.Dispose();
        Pseudo.Dispose();
        PseudoLabels.Dispose();
        Unlabelled.Dispose();
    }
}
