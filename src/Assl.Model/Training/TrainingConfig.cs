using Assl.Model.Networks;

namespace Assl.Model.Training;

/// <summary>
/// Every training decision as a setting, defaults from docs (assl-method.md, "Our decisions").
/// Experiment files under configs/ override only what they change.
/// </summary>
public sealed record TrainingConfig
{
    public TrainingMethod Method { get; init; } = TrainingMethod.Assl;

    /// <summary>Fraction of the training set that keeps its labels, in (0, 1].</summary>
    public double LabelRatio { get; init; } = 0.05;

    public int Seed { get; init; } = 1;

    public int Epochs { get; init; } = 40;

    /// <summary>Samples per step: half labelled, half unlabelled.</summary>
    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 1e-3;

    public double WeightDecay { get; init; } = 0.0;

    /// <summary>Frames per sample after resampling (T).</summary>
    public int Frames { get; init; } = 50;

    public EncoderConfig Encoder { get; init; } = new();

    public int TranslationDim { get; init; } = 256;

    // Loss weights; setting one to 0 switches its term off (that is how ablations run).
    public double LambdaInpainting { get; init; } = 1.0;
    public double LambdaConsistency { get; init; } = 1.0;
    public double LambdaAdversarial { get; init; } = 0.1;

    /// <summary>Epochs over which consistency and adversarial weights ramp up from 0.</summary>
    public int RampUpEpochs { get; init; } = 5;

    /// <summary>K: neighbours per unlabelled sample.</summary>
    public int Neighbours { get; init; } = 10;

    /// <summary>Temperature that sharpens the local centre's prediction before it teaches the sample (1: none).</summary>
    public double ConsistencyTemperature { get; init; } = 1.0;

    /// <summary>The centre teaches only where its (sharpened) top probability reaches this (0: always).</summary>
    public double ConsistencyMinConfidence { get; init; } = 0.0;

    /// <summary>
    /// Epochs before the consistency term starts (its ramp-up follows): neighbourhoods in a feature space
    /// trained on a handful of labels are mostly mixed, and an early pull locks their errors in. 0: from the start.
    /// </summary>
    public int ConsistencyWarmupEpochs { get; init; }

    /// <summary>
    /// Which view of an unlabelled sample the local centre teaches: the batch's own weakly augmented view
    /// (the method page's reading), a strongly augmented view of the same sample (FixMatch-style: the
    /// centre, built from weak features, supervises a harder view; one more encoder pass per step), or the weak or
    /// strong view masked, which is also the copy the inpainting term reconstructs (the extra pass is shared).
    /// </summary>
    public ConsistencyStudent ConsistencyStudent { get; init; } = ConsistencyStudent.Weak;

    /// <summary>
    /// Which samples the inpainting term reconstructs: every sample of the batch, labelled ones included (our
    /// default, as benchmarked), or only the unlabelled ones, as the paper describes it (its encoder learns
    /// inpainting from x_u). Unlabelled halves the term's encoder and decoder passes.
    /// </summary>
    public InpaintingSamples InpaintingSamples { get; init; } = InpaintingSamples.All;

    /// <summary>Share of T masked as one block of consecutive frames.</summary>
    public double MaskFrameFraction { get; init; } = 0.3;

    /// <summary>Also mask one random body part over all frames.</summary>
    public bool MaskJointGroup { get; init; } = true;

    /// <summary>Confidence a weak-view prediction needs to become a pseudo-label.</summary>
    public double PseudoLabelThreshold { get; init; } = 0.95;

    public double LambdaPseudoLabel { get; init; } = 1.0;

    /// <summary>
    /// Ours beyond the method page: FlexMatch's per-class bars (<see cref="FlexibleThresholds"/>) instead of one
    /// <see cref="PseudoLabelThreshold"/> for every class, in the pseudo-label baseline and in ASSL's pseudo-label
    /// term. A class the model is still unsure of gets a lower bar. false: one bar, as FixMatch has it.
    /// </summary>
    public bool FlexiblePseudoLabelThreshold { get; init; }

    /// <summary>
    /// Ours beyond the method page: when above 0, the weak-view predictions that become pseudo-labels come from a
    /// teacher, an exponential moving average of the trained weights (t = d·t + (1 − d)·w after every step; Mean
    /// Teacher, Tarvainen and Valpola 2017), run in eval mode without gradient, instead of from the student's own
    /// weak view. The average changes more slowly than the student, so a pseudo-label does not flip with the last
    /// batches' noise. One more forward pass of the unlabelled half per step (not in <see cref="TrainingStepCost"/>).
    /// Needs a pseudo-label term. 0: off, the student's own predictions, as FixMatch has it.
    /// </summary>
    public double TeacherDecay { get; init; }

    /// <summary>
    /// ASSL only, ours beyond the method page: weight of a FixMatch-style term inside ASSL, where each unlabelled
    /// sample's own weak-view prediction, where it reaches <see cref="PseudoLabelThreshold"/>, teaches a strongly
    /// augmented view of it, beside the local centre's consistency. Shares the strong view with a strong
    /// consistency student (no extra pass then). 0: off, as the method page has it.
    /// </summary>
    public double LambdaAsslPseudoLabel { get; init; }

    /// <summary>
    /// ASSL only, ours beyond the method page: the pseudo-label term (<see cref="LambdaAsslPseudoLabel"/>, with its
    /// per-class bars and teacher) is trained only when <see cref="LabelRatio"/> is at most this, and is off above it.
    /// With a handful of labels a class the labelled part barely shows learns mostly from pseudo-labels; with more
    /// labels those classes are taught directly and the term's early, low bars mostly add wrong labels. One config can
    /// then serve every label ratio of the benchmark. null: the term at every ratio.
    /// </summary>
    public double? AsslPseudoLabelMaxLabelRatio { get; init; }

    /// <summary>Whether this run trains ASSL's pseudo-label term, given its label ratio.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool TrainsAsslPseudoLabel => Method == TrainingMethod.Assl && LambdaAsslPseudoLabel > 0
        && !(AsslPseudoLabelMaxLabelRatio is { } max && LabelRatio > max);

    /// <summary>
    /// Settings that take the place of this config's own when the run's label ratio is above
    /// <see cref="LabelRatioSettings.Ratio"/>, so one file can serve every ratio of the benchmark where the best settings
    /// with a handful of labels a class are not the best with more. null: the same settings at every ratio.
    /// </summary>
    public LabelRatioSettings? AboveLabelRatio { get; init; }

    /// <summary>
    /// The config as its run trains it: <see cref="AboveLabelRatio"/>'s settings applied where the label ratio is above
    /// its bar (and dropped where it is not), and ASSL's pseudo-label term (and what only it uses) switched off where
    /// <see cref="AsslPseudoLabelMaxLabelRatio"/> says this label ratio does without it. Otherwise itself.
    /// </summary>
    public TrainingConfig AtItsLabelRatio()
    {
        // Resolved either way: below its bar a config keeps no settings for higher ratios, so two configs that train
        // alike at this ratio come out equal.
        var config = AboveLabelRatio is not { } above ? this
            : LabelRatio > above.Ratio ? above.AppliedTo(this)
            : this with { AboveLabelRatio = null };
        return config.Method == TrainingMethod.Assl && config.LambdaAsslPseudoLabel > 0 && config.AsslPseudoLabelMaxLabelRatio is { } max && config.LabelRatio > max
            ? config.WithoutPseudoLabels()
            : config;
    }

    /// <summary>Every pseudo-label setting off: ASSL's term, its ratio limit, the per-class bars and the teacher.</summary>
    private TrainingConfig WithoutPseudoLabels() =>
        this with { LambdaAsslPseudoLabel = 0, AsslPseudoLabelMaxLabelRatio = null, FlexiblePseudoLabelThreshold = false, TeacherDecay = 0 };

    /// <summary>
    /// ASSL only, ours beyond the method page: weight of a contrastive term between the two views of each unlabelled
    /// clip that a step already encodes (the weak view and the consistency student's harder view): in the translated
    /// space, where neighbours are searched, each clip's two views must pick each other out among the batch's clips.
    /// Inpainting teaches the encoder to fill in; this teaches it which clips are alike, which is what the K nearest
    /// neighbours rely on. Needs a student other than the weak view. 0: off, as the method page has it.
    /// </summary>
    public double LambdaContrastive { get; init; }

    /// <summary>Temperature of the contrastive term's cosine similarities.</summary>
    public double ContrastiveTemperature { get; init; } = 0.2;

    /// <summary>
    /// Ours beyond the method page: when above 0, the model that is evaluated and kept is an exponential moving
    /// average of the trained weights (w̄ = d·w̄ + (1 − d)·w after every step) rather than the last step's. With a
    /// few dozen labelled clips the last weights carry the noise of the last batches; the average does not,
    /// at no cost per step beyond the update. 0: off, the last weights.
    /// </summary>
    public double WeightAverageDecay { get; init; }

    public AugmentationConfig Augmentation { get; init; } = AugmentationConfig.Weak;

    public AugmentationConfig StrongAugmentation { get; init; } = AugmentationConfig.Strong;

    /// <summary>
    /// Ours beyond the method page: evaluation averages each clip's class probabilities over these test-time views
    /// (<see cref="Training.TestTimeViews"/>). Training is unchanged, so a run with them and one without train the
    /// same weights. Null: the clip alone, as the paper evaluates.
    /// </summary>
    public TestTimeViews? TestTimeViews { get; init; }

    /// <summary>Evaluate on the test set every this many epochs (and after the last).</summary>
    public int EvaluateEvery { get; init; } = 1;

    /// <summary>"cpu", "cuda" or "cuda:1".</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Intra-op threads for libtorch; 0 keeps libtorch's default.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Tuning mode: when set, these subjects of the training views are held out (never labelled, never
    /// unlabelled) and are what every evaluation measures, instead of view 3. Settings are chosen this way;
    /// view 3 is only for reporting.
    /// </summary>
    public int[]? ValidationSubjects { get; init; }

    /// <summary>
    /// Cross-view tuning mode: when set (1 or 2), training uses only the other training view and every evaluation
    /// measures this one, the way the benchmark trains on views 1+2 and tests on unseen view 3. Held-out
    /// subjects (<see cref="ValidationSubjects"/>) test generalisation to new people within the same views,
    /// which is not what the cross-view benchmark rewards.
    /// </summary>
    public int? ValidationView { get; init; }

    public bool IsValidationRun => ValidationSubjects is { Length: > 0 } || ValidationView is not null;

    /// <summary>What every evaluation of this run measures, for reports: "view 3" unless tuning.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string EvaluatedOn => ValidationView is { } view ? $"validation view {view}"
        : ValidationSubjects is { Length: > 0 } subjects ? $"validation subjects {string.Join(",", subjects)}"
        : "view 3";

    /// <summary>
    /// Subjects left out of training altogether (the test view is unchanged): the shipped model leaves out the
    /// subjects the server's online loop validates on, so its promotion decisions are made on data no model saw.
    /// </summary>
    public int[]? ExcludedSubjects { get; init; }

    /// <summary>
    /// This config trained with <paramref name="method"/> instead: the same encoder, schedule and augmentations,
    /// without the settings of terms that method does not have. That is how a baseline "with the same encoder" is
    /// run from an ASSL variant's file: supervised drops every pseudo-label setting; pseudo-label keeps its own
    /// bars and teacher and drops ASSL's pseudo-label term.
    /// </summary>
    public TrainingConfig ForMethod(TrainingMethod method) => method switch
    {
        TrainingMethod.Assl => this with { Method = method },
        TrainingMethod.PseudoLabel => this with { Method = method, LambdaAsslPseudoLabel = 0, AsslPseudoLabelMaxLabelRatio = null },
        TrainingMethod.Supervised => WithoutPseudoLabels() with { Method = method },
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown training method."),
    };

    public void Validate()
    {
        if (LabelRatio is <= 0 or > 1) throw new ArgumentException($"LabelRatio must be in (0, 1], got {LabelRatio}.");
        if (Epochs <= 0) throw new ArgumentException($"Epochs must be positive, got {Epochs}.");
        if (BatchSize < 4 || BatchSize % 2 != 0) throw new ArgumentException($"BatchSize must be an even number ≥ 4, got {BatchSize}.");
        if (LearningRate <= 0) throw new ArgumentException($"LearningRate must be positive, got {LearningRate}.");
        if (Frames < 2) throw new ArgumentException($"Frames must be at least 2, got {Frames}.");
        if (ConsistencyTemperature <= 0) throw new ArgumentException($"ConsistencyTemperature must be positive, got {ConsistencyTemperature}.");
        if (ConsistencyMinConfidence is < 0 or > 1) throw new ArgumentException($"ConsistencyMinConfidence must be in [0, 1], got {ConsistencyMinConfidence}.");
        if (ConsistencyWarmupEpochs < 0) throw new ArgumentException($"ConsistencyWarmupEpochs cannot be negative, got {ConsistencyWarmupEpochs}.");
        if (WeightAverageDecay is < 0 or >= 1) throw new ArgumentException($"WeightAverageDecay must be in [0, 1), got {WeightAverageDecay}.");
        if (Neighbours < 1) throw new ArgumentException($"Neighbours must be at least 1, got {Neighbours}.");
        if (MaskFrameFraction is < 0 or >= 1) throw new ArgumentException($"MaskFrameFraction must be in [0, 1), got {MaskFrameFraction}.");
        if (PseudoLabelThreshold is <= 0 or > 1) throw new ArgumentException($"PseudoLabelThreshold must be in (0, 1], got {PseudoLabelThreshold}.");
        if (ValidationSubjects is { } subjects && subjects.Any(s => s < 1)) throw new ArgumentException("ValidationSubjects are subject numbers (1 and up).");
        if (ValidationView is not (null or 1 or 2)) throw new ArgumentException($"ValidationView must be 1 or 2 (a training view), got {ValidationView}.");
        if (ValidationView is not null && ValidationSubjects is { Length: > 0 })
            throw new ArgumentException("Set ValidationView or ValidationSubjects, not both.");
        if (LambdaInpainting < 0 || LambdaConsistency < 0 || LambdaAdversarial < 0 || LambdaPseudoLabel < 0 || LambdaAsslPseudoLabel < 0 || LambdaContrastive < 0)
            throw new ArgumentException("Loss weights cannot be negative.");
        if (FlexiblePseudoLabelThreshold && Method != TrainingMethod.PseudoLabel && !(Method == TrainingMethod.Assl && LambdaAsslPseudoLabel > 0))
            throw new ArgumentException("FlexiblePseudoLabelThreshold sets the bars of a pseudo-label term: use it with method pseudo-label, or with assl and LambdaAsslPseudoLabel above 0.");
        if (TeacherDecay is < 0 or >= 1) throw new ArgumentException($"TeacherDecay must be in [0, 1), got {TeacherDecay}.");
        if (TeacherDecay > 0 && Method != TrainingMethod.PseudoLabel && !(Method == TrainingMethod.Assl && LambdaAsslPseudoLabel > 0))
            throw new ArgumentException("TeacherDecay sets where pseudo-labels come from: use it with method pseudo-label, or with assl and LambdaAsslPseudoLabel above 0.");
        if (AsslPseudoLabelMaxLabelRatio is { } maxRatio && (maxRatio is <= 0 or > 1 || LambdaAsslPseudoLabel <= 0))
            throw new ArgumentException($"AsslPseudoLabelMaxLabelRatio limits ASSL's pseudo-label term to label ratios up to it: it must be in (0, 1] and needs LambdaAsslPseudoLabel above 0, got {maxRatio} with LambdaAsslPseudoLabel {LambdaAsslPseudoLabel}.");
        TestTimeViews?.Validate();
        AboveLabelRatio?.Validate(this);
        if (ContrastiveTemperature <= 0) throw new ArgumentException($"ContrastiveTemperature must be positive, got {ContrastiveTemperature}.");
        if (LambdaContrastive > 0 && ConsistencyStudent == ConsistencyStudent.Weak)
            throw new ArgumentException("LambdaContrastive needs two views of each unlabelled clip: set ConsistencyStudent to strong, masked-weak or masked-strong.");
    }
}

/// <summary>The samples of a batch that the inpainting term reconstructs.</summary>
public enum InpaintingSamples
{
    All,
    Unlabelled,
}

/// <summary>The view of an unlabelled sample that neighbourhood consistency trains.</summary>
public enum ConsistencyStudent
{
    /// <summary>The batch's own weakly augmented view: no extra pass.</summary>
    Weak,

    /// <summary>A strongly augmented view, encoded in a pass of its own.</summary>
    Strong,

    /// <summary>
    /// The weakly augmented view masked as the inpainting term masks it: the inpainting pass's own masked copy, which
    /// feeds both the decoder and the classifier, so the student costs no pass beyond the inpainting one.
    /// </summary>
    MaskedWeak,

    /// <summary>As <see cref="MaskedWeak"/>, from the strongly augmented view (inpainting then reconstructs that view).</summary>
    MaskedStrong,
}

public static class ConsistencyStudentExtensions
{
    /// <summary>Whether the student is a masked copy, the one the inpainting pass encodes when that term is on.</summary>
    public static bool IsMasked(this ConsistencyStudent student) => student is ConsistencyStudent.MaskedWeak or ConsistencyStudent.MaskedStrong;
}

/// <summary>Random view changes applied to training batches (as tensors, on the training device).</summary>
/// <param name="YawDegrees">Max rotation about the vertical axis, ±.</param>
/// <param name="TiltDegrees">Max rotation about the two horizontal axes, ±.</param>
/// <param name="ScaleMin">Smallest scale factor.</param>
/// <param name="ScaleMax">Largest scale factor.</param>
/// <param name="CropMin">Smallest share of frames a temporal crop keeps (then resampled to T).</param>
/// <param name="Jitter">Std-dev of Gaussian noise on every coordinate, metres.</param>
/// <param name="MaskPartProbability">Chance of zeroing one random body part.</param>
public sealed record AugmentationConfig(
    double YawDegrees, double TiltDegrees, double ScaleMin, double ScaleMax, double CropMin, double Jitter, double MaskPartProbability)
{
    public static AugmentationConfig None { get; } = new(0, 0, 1, 1, 1, 0, 0);
    public static AugmentationConfig Weak { get; } = new(30, 10, 0.9, 1.1, 0.8, 0, 0);
    public static AugmentationConfig Strong { get; } = new(60, 20, 0.8, 1.2, 0.5, 0.01, 0.5);
}
