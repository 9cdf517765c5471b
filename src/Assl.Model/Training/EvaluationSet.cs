using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Preprocessing;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Labelled sequences preprocessed as inference preprocesses a window (view normalisation, T frames),
/// stacked into one (N, T, C) tensor with their (N) labels: what a model is measured on.
/// </summary>
public sealed class EvaluationSet : IDisposable
{
    private EvaluationSet(Tensor windows, Tensor labels)
    {
        Windows = windows;
        Labels = labels;
    }

    public Tensor Windows { get; }
    public Tensor Labels { get; }
    public long Count => Labels.shape[0];

    /// <param name="frames">The model's T.</param>
    public static EvaluationSet Of(IReadOnlyList<SkeletonSample> samples, int frames, Device? device = null)
    {
        if (samples.Count == 0) throw new ArgumentException("An evaluation set needs at least one sample.", nameof(samples));
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = frames });
        var windows = TrainingData.Stack(samples.Select(s => preprocessor.Process(s.Sequence).ToArray()).ToArray(), frames,
            samples[0].Sequence.JointCount * 3, device ?? CPU);
        return new EvaluationSet(windows, tensor(samples.Select(s => (long)s.ClassIndex).ToArray(), device: device ?? CPU));
    }

    /// <param name="views">Test-time views to average each clip over; null: the clip alone.</param>
    public EvaluationResult Evaluate(AsslNetwork network, TestTimeViews? views = null) => AsslTrainer.Evaluate(network, Windows, Labels, views: views);

    public double Top1(AsslNetwork network) => Evaluate(network).Top1;

    public void Dispose()
    {
        Windows.Dispose();
        Labels.Dispose();
    }
}
