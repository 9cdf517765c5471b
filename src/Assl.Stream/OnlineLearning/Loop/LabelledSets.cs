using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Stream.Inference;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// The labelled anchor of fine-tuning and the validation set of promotion, preprocessed as inference
/// preprocesses a window (view normalisation, T frames).
/// </summary>
public sealed record LabelledSets(float[][] Labelled, int[] Labels, float[][] Validation, int[] ValidationLabels, string LayoutId, int Frames)
{
    /// <summary>The labelled data folder the options name (or the default one); throws when it does not exist.</summary>
    public static string CheckDataPath(OnlineLearningOptions options, string contentRootPath)
    {
        var path = string.IsNullOrWhiteSpace(options.DataPath) ? NuclaLocation.Default(contentRootPath) : Path.GetFullPath(options.DataPath, contentRootPath);
        if (!Directory.Exists(path))
            throw new OnlineLearningException($"the labelled data folder {path} does not exist: set OnlineLearning:DataPath (or ASSL_DATA) to N-UCLA's all_sqe folder");
        return path;
    }

    /// <summary>
    /// Reads the labelled folder and cuts the held-out split the options describe. Throws
    /// <see cref="OnlineLearningException"/> with what to fix when the data cannot serve this model.
    /// </summary>
    public static LabelledSets Load(OnlineLearningOptions options, ServingModel model, string contentRootPath)
    {
        var path = CheckDataPath(options, contentRootPath);
        var loaded = NuclaDataset.Load(path);
        if (loaded.Samples.Count == 0)
            throw new OnlineLearningException($"no readable N-UCLA sequences in {path} ({loaded.Rejected.Count} files rejected)");
        return From(loaded.Samples, options, model);
    }

    /// <summary>The held-out split of samples already read (see <see cref="Load"/>).</summary>
    public static LabelledSets From(IReadOnlyList<SkeletonSample> samples, OnlineLearningOptions options, ServingModel model)
    {
        var layout = samples[0].Sequence.Layout;
        if (layout.Id != model.Layout.Id)
            throw new OnlineLearningException($"the labelled data is in layout {layout.Id} but the model consumes {model.Layout.Id}");
        if (!model.ClassNames.SequenceEqual(NuclaClasses.Names))
            throw new OnlineLearningException("the model's classes are not N-UCLA's: the labelled data cannot anchor it");

        HeldOutSplit split;
        try
        {
            split = HeldOutSplit.Create(samples, options.EffectiveLabelledViews.ToArray(), options.EffectiveValidationSubjects.ToArray(), options.LabelRatio, options.LabelSeed,
                options.EffectiveValidationViews.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new OnlineLearningException($"the labelled split cannot be made: {e.Message}");
        }
        if (split.Validation.Count == 0)
            throw new OnlineLearningException($"no validation samples: subjects {string.Join(",", options.EffectiveValidationSubjects)} have none in views {string.Join(",", options.EffectiveValidationViews)}");

        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = model.Frames });
        float[] Prepare(SkeletonSample s) => preprocessor.Process(s.Sequence).ToArray();
        return new LabelledSets(
            split.Labelled.Select(Prepare).ToArray(), split.Labelled.Select(s => s.ClassIndex).ToArray(),
            split.Validation.Select(Prepare).ToArray(), split.Validation.Select(s => s.ClassIndex).ToArray(),
            layout.Id, model.Frames);
    }
}
