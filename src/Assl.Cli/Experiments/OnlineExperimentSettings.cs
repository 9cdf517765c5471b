namespace Assl.Cli.Experiments;

/// <summary>What `assl experiment online` runs. Defaults give one run that finishes in about 20 minutes on 2 cores.</summary>
/// <param name="DataPath">N-UCLA all_sqe folder.</param>
/// <param name="LabelRatio">Labelled share of view 1 (per class) the starting model is trained on.</param>
/// <param name="ValidationSubjects">Subjects held out for the loop's promotion decisions (never labelled, never streamed).</param>
/// <param name="ValidationViews">Views whose held-out subjects' samples form the validation set: 1 (labelled) and 2 (the deployment view).</param>
/// <param name="Runs">Fine-tuning runs to wait for in the normal phase.</param>
/// <param name="CorruptedRuns">Fine-tuning runs to wait for with corrupted pseudo-labels (0 skips that phase).</param>
/// <param name="Cameras">View-2 clips are dealt over this many live cameras.</param>
/// <param name="Speed">Replay speed (camera time per wall time).</param>
/// <param name="StretchToFrames">Clips shorter than this are played slowed to span it (see ReplayOptions).</param>
/// <param name="MinNewSamples">Stored windows that start a fine-tuning run.</param>
/// <param name="Niceness">OnlineLearning:Niceness of the fine-tuning thread. 0 here (not the server's 19) so that results written before it existed read as what they ran with.</param>
/// <param name="BaselineSeconds">Seconds each phase first streams with the loop paused, to measure latency without training (0 skips it).</param>
/// <param name="ClassAdaptive">PseudoLabels:ClassAdaptive (FlexMatch-style per-class thresholds).</param>
/// <param name="StartModelsDirectory">Where starting models are kept and reused (default: the work folder); one folder can serve many work folders, since a starting model depends only on label ratio, seed and epochs.</param>
/// <param name="ServerSettings">Further server configuration, each "Section:Key=value" (e.g. OnlineLearning:FineTune:LearningRate=5e-4), applied last.</param>
public sealed record OnlineExperimentSettings(
    string DataPath,
    string WorkDirectory,
    string ResultsDirectory,
    double LabelRatio = 0.05,
    int Seed = 1,
    int[]? ValidationSubjects = null,
    int StartEpochs = 40,
    int Runs = 4,
    int CorruptedRuns = 2,
    string Corruption = "random",
    int Cameras = 8,
    double Speed = 4,
    int StretchToFrames = 80,
    double GateThreshold = 0.95,
    int GateConsecutive = 3,
    int MinNewSamples = 400,
    int FineTuneSteps = 300,
    int TrainingThreads = 1,
    double SignificanceZ = 0,
    double PhaseTimeoutMinutes = 25,
    int[]? ValidationViews = null,
    int Niceness = 0,
    bool ClassAdaptive = false,
    int BaselineSeconds = 0,
    string[]? ServerSettings = null,
    string? StartModelsDirectory = null)
{
    /// <summary>The starting model's file: trained once for a label ratio, seed and epoch count, reused after.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string StartModelPath => Path.Combine(StartModelsDirectory ?? WorkDirectory, $"start-r{LabelRatio:0.###}-s{Seed}-e{StartEpochs}.assl");

    public string[] ExtraServerSettings => ServerSettings ?? [];

    public int[] HeldOutSubjects => ValidationSubjects ?? [9, 10];

    public int[] HeldOutViews => ValidationViews ?? [1, 2];
}
