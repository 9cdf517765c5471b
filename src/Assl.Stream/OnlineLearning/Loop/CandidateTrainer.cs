using Assl.Model.Networks;
using Assl.Model.Preprocessing;
using Assl.Model.Promotion;
using Assl.Model.Skeletons;
using Assl.Model.Training;
using Assl.Model.Training.FineTuning;
using Assl.Stream.Inference;
using Assl.Stream.OnlineLearning.Store;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// The synchronous heart of one loop run: fine-tunes a copy of the serving model, then measures it
/// beside the serving model. Runs on one dedicated thread (dispose scopes and the libtorch thread
/// budget are per thread).
/// </summary>
public sealed class CandidateTrainer(OnlineLearningOptions options)
{
    /// <param name="serving">Leased by the caller for the duration of the call.</param>
    /// <param name="onStep">Called after every training step (on this thread).</param>
    public CandidateOutcome Train(ServingModel serving, LabelledSets sets, SampleBatch pseudo, SampleBatch unlabelled,
        IReadOnlyList<StoredSample> recent, CancellationToken cancellationToken, Action? onStep = null)
    {
        torch.set_num_threads(options.Threads);
        var device = serving.Device;
        int frames = serving.Frames, channels = serving.Layout.JointCount * 3, classes = serving.ClassNames.Count;
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = frames });
        float[] Prepare(float[] positions) => preprocessor.Process(new SkeletonSequence(serving.Layout, positions)).ToArray();
        bool Usable(string layoutId, float[] positions) => layoutId == serving.Layout.Id && positions.Length == frames * channels;

        var pseudoRows = Enumerable.Range(0, pseudo.Count).Where(i => Usable(pseudo.LayoutIds[i], pseudo.Positions[i]) && pseudo.Labels[i] < classes).ToArray();
        var unlabelledRows = Enumerable.Range(0, unlabelled.Count).Where(i => Usable(unlabelled.LayoutIds[i], unlabelled.Positions[i])).ToArray();
        var recentWindows = recent.Where(r => Usable(r.Window.LayoutId, r.Window.Positions)).Select(r => Prepare(r.Window.Positions)).ToArray();

        using var data = FineTuneData.Create(
            sets.Labelled, sets.Labels,
            pseudoRows.Select(i => Prepare(pseudo.Positions[i])).ToArray(), pseudoRows.Select(i => pseudo.Labels[i]).ToArray(),
            unlabelledRows.Select(i => Prepare(unlabelled.Positions[i])).ToArray(),
            frames, channels, classes, device);
        var tuner = new OnlineFineTuner(options.FineTune, BodyParts.Of(serving.Layout));
        var pause = options.StepPauseMs;
        var result = tuner.Run(serving.Network, data, _ =>
        {
            onStep?.Invoke();
            if (pause > 0) Thread.Sleep(pause);
        }, cancellationToken);
        try
        {
            using var servingCopy = NetworkCopy.Clone(serving.Network, device);
            using var validation = TrainingData.Stack(sets.Validation, frames, channels, device);
            using var validationLabels = tensor(sets.ValidationLabels.Select(l => (long)l).ToArray(), device: device);
            using var recentTensor = recentWindows.Length == 0 ? zeros([0, frames, channels], device: device) : TrainingData.Stack(recentWindows, frames, channels, device);
            var evaluation = CandidateEvaluator.Evaluate(result.Candidate, servingCopy, validation, validationLabels, recentTensor);
            return new CandidateOutcome(result.Candidate, evaluation, options.Promotion.Decide(evaluation), result.MeanLosses, result.Steps,
                sets.Labelled.Length, pseudoRows.Length, unlabelledRows.Length, result.Cancelled);
        }
        catch
        {
            result.Candidate.Dispose();
            throw;
        }
    }
}

/// <param name="Candidate">The fine-tuned network; whoever takes the outcome owns it.</param>
public sealed record CandidateOutcome(
    AsslNetwork Candidate,
    CandidateEvaluation Evaluation,
    PromotionDecision Decision,
    IReadOnlyDictionary<string, double> MeanLosses,
    int Steps,
    int Labelled,
    int PseudoLabelled,
    int Unlabelled,
    bool Cancelled);
