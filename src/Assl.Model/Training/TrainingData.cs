using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// The preprocessed tensors one training run uses, on the training device: labelled and unlabelled
/// training samples, and an optional labelled evaluation set. Samples are (T, C) with C = joints × 3.
/// </summary>
public sealed class TrainingData : IDisposable
{
    private TrainingData(Tensor labelled, Tensor labels, Tensor unlabelled, Tensor? test, Tensor? testLabels,
        IReadOnlyList<string> classNames, int frames, int channels)
    {
        Labelled = labelled;
        Labels = labels;
        Unlabelled = unlabelled;
        Test = test;
        TestLabels = testLabels;
        ClassNames = classNames;
        Frames = frames;
        Channels = channels;
    }

    public Tensor Labelled { get; }
    public Tensor Labels { get; }
    public Tensor Unlabelled { get; }
    public Tensor? Test { get; }
    public Tensor? TestLabels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Frames { get; }
    public int Channels { get; }

    public long LabelledCount => Labelled.shape[0];
    public long UnlabelledCount => Unlabelled.shape[0];

    /// <param name="labelled">Each sample T·C floats, frame-major.</param>
    public static TrainingData Create(
        IReadOnlyList<float[]> labelled, IReadOnlyList<int> labels,
        IReadOnlyList<float[]> unlabelled,
        IReadOnlyList<float[]>? test, IReadOnlyList<int>? testLabels,
        IReadOnlyList<string> classNames, int frames, int channels, Device device)
    {
        if (labelled.Count == 0) throw new ArgumentException("Training needs at least one labelled sample.");
        if (labelled.Count != labels.Count) throw new ArgumentException($"{labelled.Count} labelled samples but {labels.Count} labels.");
        if (labels.Any(l => l < 0 || l >= classNames.Count)) throw new ArgumentException("A label is outside the class list.");
        if ((test is null) != (testLabels is null) || (test is not null && test.Count != testLabels!.Count))
            throw new ArgumentException("Test samples and test labels must come together, one label each.");
        return new TrainingData(
            Stack(labelled, frames, channels, device),
            tensor(labels.Select(l => (long)l).ToArray(), device: device),
            Stack(unlabelled, frames, channels, device),
            test is null ? null : Stack(test, frames, channels, device),
            testLabels is null ? null : tensor(testLabels.Select(l => (long)l).ToArray(), device: device),
            classNames, frames, channels);
    }

    /// <summary>One bulk copy of N samples into an (N, T, C) tensor.</summary>
    public static Tensor Stack(IReadOnlyList<float[]> samples, int frames, int channels, Device device)
    {
        int size = frames * channels;
        var flat = new float[samples.Count * size];
        for (int i = 0; i < samples.Count; i++)
        {
            if (samples[i].Length != size)
                throw new ArgumentException($"Sample {i} has {samples[i].Length} values, expected {frames}×{channels}.");
            samples[i].CopyTo(flat, i * size);
        }
        using var cpu = tensor(flat, [samples.Count, frames, channels]);
        return cpu.to(device);
    }

    public void Dispose()
    {
        Labelled.Dispose();
        Labels.Dispose();
        Unlabelled.Dispose();
        Test?.Dispose();
        TestLabels?.Dispose();
    }
}
