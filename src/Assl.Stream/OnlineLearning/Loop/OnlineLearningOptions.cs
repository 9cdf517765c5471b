using System.ComponentModel.DataAnnotations;
using Assl.Model.Promotion;
using Assl.Model.Training.FineTuning;
using Microsoft.Extensions.Options;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>When and how the server fine-tunes the model it serves, and what it keeps.</summary>
public sealed class OnlineLearningOptions
{
    public const string SectionName = "OnlineLearning";

    /// <summary>Off: the server serves and stores samples but never trains.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The labelled N-UCLA folder (all_sqe) that anchors fine-tuning and holds the validation subjects.
    /// Empty: $ASSL_DATA, then ../shared/data beside the repository. When it cannot be read the loop is off
    /// (logged, and shown in status and health); serving is unaffected.
    /// </summary>
    public string DataPath { get; set; } = "";

    /// <summary>Views whose samples form the labelled and validation sets; empty means 1 and 2 (N-UCLA's training views).</summary>
    /// <remarks>
    /// Empty rather than pre-filled: the configuration binder appends to an array that already has
    /// elements, so a default of [1, 2] plus "LabelledViews:0=1" would give [1, 2, 1].
    /// </remarks>
    public int[] LabelledViews { get; set; } = [];

    /// <summary>Share of each class's non-validation samples used with their labels (as the serving model was trained).</summary>
    [Range(0.0001, 1.0)]
    public double LabelRatio { get; set; } = 1.0;

    /// <summary>Seed of the labelled subset, so the loop uses the same labels the serving model was trained with.</summary>
    public int LabelSeed { get; set; } = 1;

    /// <summary>Subjects held out of the labelled set; their samples in the labelled views are the validation set. Empty means 9 and 10.</summary>
    public int[] ValidationSubjects { get; set; } = [];

    /// <summary>Views the validation samples come from (the validation subjects' samples in them); empty means the labelled views.</summary>
    public int[] ValidationViews { get; set; } = [];

    public IReadOnlyList<int> EffectiveValidationViews => ValidationViews.Length == 0 ? EffectiveLabelledViews : ValidationViews;

    public IReadOnlyList<int> EffectiveLabelledViews => LabelledViews.Length == 0 ? [1, 2] : LabelledViews;

    public IReadOnlyList<int> EffectiveValidationSubjects => ValidationSubjects.Length == 0 ? [9, 10] : ValidationSubjects;

    /// <summary>A run starts when this many windows were stored since the last one ...</summary>
    [Range(1, 100_000_000)]
    public int MinNewSamples { get; set; } = 2000;

    /// <summary>... or this long after the last one, if any window was stored meanwhile.</summary>
    [Range(0.01, 525_600)]
    public double IntervalMinutes { get; set; } = 30;

    /// <summary>Fewer pseudo-labelled windows than this and the run waits: there is nothing to learn from yet.</summary>
    [Range(0, 100_000_000)]
    public int MinPseudoLabelled { get; set; } = 20;

    /// <summary>Newest pseudo-labelled windows per class a run trains on (the pool stays class-balanced).</summary>
    [Range(1, 1_000_000)]
    public int PseudoLabelledPerClass { get; set; } = 300;

    /// <summary>Unlabelled windows a run draws at random for ASSL's self-supervised terms.</summary>
    [Range(0, 10_000_000)]
    public int UnlabelledSamples { get; set; } = 1000;

    /// <summary>Most recent served windows on which candidate and serving model are compared.</summary>
    [Range(0, 1_000_000)]
    public int RecentWindows { get; set; } = 500;

    /// <summary>libtorch threads of the fine-tuning thread: the rest of the cores stay with inference.</summary>
    [Range(1, 256)]
    public int Threads { get; set; } = 1;

    /// <summary>
    /// Nice value of the fine-tuning thread (0–19; 0 = normal priority). At 19 the scheduler hands the cores to
    /// serving whenever it wants them, so training slows down instead of serving.
    /// </summary>
    [Range(0, 19)]
    public int Niceness { get; set; } = 19;

    /// <summary>Pause after every training step, in milliseconds: a duty cycle for machines where even one busy core hurts serving.</summary>
    [Range(0, 10_000)]
    public int StepPauseMs { get; set; }

    /// <summary>How often the loop checks whether a run is due, in seconds.</summary>
    [Range(0.05, 3600)]
    public double PollSeconds { get; set; } = 5;

    /// <summary>Checkpoints and the serving pointer; a relative path is taken from the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string ModelsDirectory { get; set; } = "data/models";

    /// <summary>Earlier serving versions kept for rollback (and start-up fall-back).</summary>
    [Range(1, 1000)]
    public int KeepVersions { get; set; } = 5;

    /// <summary>
    /// Experiments only: replaces pseudo-labels before training, to show the promotion guard at work.
    /// "none", "random" (a uniformly random class) or "constant" (class 0 for all).
    /// </summary>
    [RegularExpression("^(none|random|constant)$", ErrorMessage = "OnlineLearning:CorruptPseudoLabels must be none, random or constant.")]
    public string CorruptPseudoLabels { get; set; } = "none";

    public FineTuneConfig FineTune { get; set; } = new();

    public PromotionPolicy Promotion { get; set; } = new();

    public string ResolveModelsDirectory(string contentRootPath) => Path.GetFullPath(ModelsDirectory, contentRootPath);
}

/// <summary>DataAnnotations, plus the nested training and promotion settings' own checks.</summary>
public sealed class ValidateOnlineLearningOptions : IValidateOptions<OnlineLearningOptions>
{
    private readonly ValidateOnlineLearningAnnotations _annotations = new();

    public ValidateOptionsResult Validate(string? name, OnlineLearningOptions options)
    {
        var result = _annotations.Validate(name, options);
        if (result.Failed) return result;
        try
        {
            options.FineTune.Validate();
            options.Promotion.Validate();
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{OnlineLearningOptions.SectionName}: {e.Message}");
        }
        return ValidateOptionsResult.Success;
    }
}

[OptionsValidator]
public sealed partial class ValidateOnlineLearningAnnotations : IValidateOptions<OnlineLearningOptions>;
