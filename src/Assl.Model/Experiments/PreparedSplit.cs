using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Experiments;

/// <summary>
/// One experiment's data: the N-UCLA cross-view split, its seeded labelled subset, every sequence
/// preprocessed to T frames, as tensors on the training device.
/// </summary>
public sealed class PreparedSplit : IDisposable
{
    private PreparedSplit(TrainingData data, int labelled, int unlabelled, int test)
    {
        Data = data;
        LabelledCount = labelled;
        UnlabelledCount = unlabelled;
        TestCount = test;
    }

    public TrainingData Data { get; }
    public int LabelledCount { get; }
    public int UnlabelledCount { get; }
    public int TestCount { get; }

    public static PreparedSplit Create(IReadOnlyList<SkeletonSample> samples, TrainingConfig config, Device device)
    {
        IReadOnlyList<SkeletonSample> labelled, unlabelled, test;
        if (config.ValidationView is { } validationView)
        {
            // Cross-view tuning: train on the other training view, evaluate on this one; view 3 stays unseen.
            var trainView = samples.Where(s => s.View == 3 - validationView).ToArray();
            (labelled, unlabelled) = LabelSplit.Create(trainView, config.LabelRatio, config.Seed);
            test = samples.Where(s => s.View == validationView).ToArray();
        }
        else if (config.IsValidationRun)
        {
            // Tuning: evaluate on held-out subjects of the training views; view 3 stays unseen.
            var held = HeldOutSplit.Create(samples, [1, 2], config.ValidationSubjects!, config.LabelRatio, config.Seed);
            (labelled, unlabelled, test) = (held.Labelled, held.Unlabelled, held.Validation);
        }
        else
        {
            var (train, crossViewTest) = DatasetSplits.CrossView(samples);
            if (config.ExcludedSubjects is { Length: > 0 } excluded)
                train = train.Where(s => !excluded.Contains(s.Subject)).ToArray();
            (labelled, unlabelled) = LabelSplit.Create(train, config.LabelRatio, config.Seed);
            test = crossViewTest;
        }
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = config.Frames });
        float[] Prepare(SkeletonSample s) => preprocessor.Process(s.Sequence).ToArray();

        int channels = samples[0].Sequence.JointCount * 3;
        // The unlabelled part of a semi-supervised split is the rest of the training views, labels unused.
        var data = TrainingData.Create(
            labelled.Select(Prepare).ToArray(), labelled.Select(s => s.ClassIndex).ToArray(),
            unlabelled.Select(Prepare).ToArray(),
            test.Select(Prepare).ToArray(), test.Select(s => s.ClassIndex).ToArray(),
            NuclaClasses.Names, config.Frames, channels, device);
        return new PreparedSplit(data, labelled.Count, unlabelled.Count, test.Count);
    }

    public void Dispose() => Data.Dispose();
}
