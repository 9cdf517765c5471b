using System.Diagnostics;
using System.Globalization;
using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Model.Training;
using Assl.Stream.Inference;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Store;
using static TorchSharp.torch;

namespace Assl.Cli.Experiments;

/// <summary>What one replayed loop run gave: the loop's own evaluation and decision, and view 3 beside it.</summary>
public sealed record FineTuneReplayRun(int TunerSeed, double ValidationCandidate, double ValidationServing, double Agreement,
    double View3Candidate, double View3Serving, double DeploymentCandidate, double DeploymentServing, bool Promoted, string Reason, int Steps, double Seconds);

/// <summary>
/// Replays one online-loop run offline: the samples an online experiment's server stored, the model it
/// served, and the loop's own <see cref="CandidateTrainer"/> with fine-tuning settings of one's choice.
/// A loop run takes minutes inside a 20-minute experiment; here the same run takes one, so settings can be
/// compared on the same data. Settings are chosen on the loop's validation set; view 3 is reported beside
/// it so the choice can be checked, never to make it.
/// </summary>
/// <param name="labels">What to train on in place of the stored pseudo-labels (default: them).</param>
public sealed class FineTuneReplay(OnlineLearningOptions options, string storePath, string modelPath, string dataPath, TextWriter output,
    ReplayLabels? labels = null)
{
    private readonly ReplayLabels _labels = labels ?? ReplayLabels.Stored;

    public async Task<IReadOnlyList<FineTuneReplayRun>> RunAsync(IReadOnlyList<int> tunerSeeds, CancellationToken ct)
    {
        _labels.ThrowIfInvalid();
        if (!File.Exists(storePath)) throw new FileNotFoundException($"no store at {storePath}: run `assl experiment online` first, or pass --store.", storePath);
        // Each seed runs the loop's own trainer on these options with only the seed changed; the caller gets them back as given.
        var fineTune = options.FineTune;
        var serving = ServingModel.Load(modelPath, CPU);
        try
        {
            output.WriteLine($"reading the labelled split and view 3 from {dataPath} …");
            var samples = NuclaDataset.Load(dataPath).Samples;
            if (samples.Count == 0) throw new InvalidOperationException($"no readable N-UCLA sequences in {dataPath}");
            var sets = LabelledSets.From(samples, options, serving);
            using var view3 = EvaluationSet.Of(samples.Where(s => s.View == 3).ToArray(), serving.Frames);
            // The streamed view's held-out subjects: how the loop does on the camera it serves, beside the unseen view.
            var subjects = options.EffectiveValidationSubjects.ToHashSet();
            using var deployment = EvaluationSet.Of(samples.Where(s => s.View == 2 && subjects.Contains(s.Subject)).ToArray(), serving.Frames);

            using var store = SqliteSampleStore.Open(new StoreOptions { Path = storePath }, Environment.CurrentDirectory);
            var status = await store.GetStatusAsync(ct);
            var pseudo = await PseudoLabelledAsync(store, samples, subjects, serving, ct);
            var unlabelled = _labels.UnlabelledSequences
                ? AsStored(Streamed(samples, subjects).Select(s => new ClipLabel(s, -1, 0f)).ToArray(), serving)
                : await store.RandomUnlabelledAsync(options.UnlabelledSamples, ct);
            long latest = await store.LatestSequenceAsync(ct);
            var recent = await store.WindowsSinceAsync(Math.Max(0, latest - options.RecentWindows), options.RecentWindows, ct);
            output.WriteLine($"store: {status.Windows} windows; this run trains on {pseudo.Count} pseudo-labelled, {unlabelled.Count} unlabelled, " +
                $"{sets.Labelled.Length} labelled; validation {sets.Validation.Length}; view 2 held out {deployment.Count}; view 3 {view3.Count}");
            double view3Serving = view3.Top1(serving.Network);
            double deploymentServing = deployment.Top1(serving.Network);

            var runs = new List<FineTuneReplayRun>();
            foreach (int seed in tunerSeeds)
            {
                ct.ThrowIfCancellationRequested();
                options.FineTune = fineTune with { Seed = seed };
                var clock = Stopwatch.StartNew();
                var outcome = new CandidateTrainer(options).Train(serving, sets, pseudo, unlabelled, recent, ct);
                using var candidate = outcome.Candidate;
                double view3Candidate = view3.Top1(candidate);
                double deploymentCandidate = deployment.Top1(candidate);
                var run = new FineTuneReplayRun(seed, outcome.Evaluation.CandidateTop1, outcome.Evaluation.ServingTop1, outcome.Evaluation.Agreement,
                    view3Candidate, view3Serving, deploymentCandidate, deploymentServing, outcome.Decision.Accepted, outcome.Decision.Reason, outcome.Steps, clock.Elapsed.TotalSeconds);
                runs.Add(run);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  seed {seed}: validation {run.ValidationCandidate:P1} (serving {run.ValidationServing:P1}), agreement {run.Agreement:P0}, " +
                    $"view 2 held out {run.DeploymentCandidate:P1} (serving {run.DeploymentServing:P1}), " +
                    $"view 3 {run.View3Candidate:P1} (serving {run.View3Serving:P1}), {(run.Promoted ? "promoted" : "refused")}, {run.Seconds:0} s"));
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mean over {runs.Count}: validation {Points.Signed(runs.Average(r => r.ValidationCandidate - r.ValidationServing))} points, " +
                $"view 2 held out {Points.Signed(runs.Average(r => r.DeploymentCandidate - r.DeploymentServing))} points, " +
                $"view 3 {Points.Signed(runs.Average(r => r.View3Candidate - r.View3Serving))} points, promoted {runs.Count(r => r.Promoted)} of {runs.Count}"));
            return runs;
        }
        finally
        {
            options.FineTune = fineTune;
            serving.Retire();
        }
    }

    /// <summary>The stored pseudo-labelled windows, or what the oracle puts in their place.</summary>
    private async Task<SampleBatch> PseudoLabelledAsync(ISampleStore store, IReadOnlyList<SkeletonSample> samples, HashSet<int> heldOut, ServingModel serving, CancellationToken ct)
    {
        var pseudo = await store.NewestPseudoLabelledAsync(options.PseudoLabelledPerClass, _labels.MinConfidence, ct);
        var truth = _labels.Truth is { } file ? await file.OfAsync(store, pseudo, ct) : null;
        if (truth is not null)
        {
            var (relabelled, right) = truth.Relabel();
            if (relabelled.Count == 0) throw new InvalidOperationException("the truth file names none of the stored windows' bodies: is it the same phase's?");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"pseudo-labels with confidence ≥ {_labels.MinConfidence}: {pseudo.Count}; {(double)right / relabelled.Count:P1} right of the {relabelled.Count} whose body the truth file knows"));
            if (_labels.Oracle == ReplayOracle.Windows)
            {
                output.WriteLine($"oracle: training on the true classes of those {relabelled.Count} windows; the rest left out");
                return relabelled;
            }
        }
        var streamed = Streamed(samples, heldOut);
        var clips = _labels.Oracle switch
        {
            ReplayOracle.Sequences => streamed.Select(s => new ClipLabel(s, s.ClassIndex, 1f)).ToArray(),
            ReplayOracle.PseudoSequences => LabelledByModel(streamed, serving),
            ReplayOracle.GatedSequences => LabelledByGate(truth!, streamed),
            ReplayOracle.AgreedSequences => AgreedWithModel(LabelledByGate(truth!, streamed), serving),
            _ => null,
        };
        if (clips is null) return pseudo;
        output.WriteLine($"oracle: training on {clips.Length} streamed view-2 sequences, whole{(_labels.Oracle == ReplayOracle.Sequences ? " and labelled" : ", pseudo-labelled")}, instead of {pseudo.Count} pseudo-labelled windows");
        return AsStored(clips, serving);
    }

    /// <summary>The view-2 sequences the experiment streamed (its held-out subjects never are), in a fixed order.</summary>
    private static SkeletonSample[] Streamed(IReadOnlyList<SkeletonSample> samples, HashSet<int> heldOut) =>
        samples.Where(s => s.View == 2 && !heldOut.Contains(s.Subject)).OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();

    /// <summary>Whole clips as the server stores a window: the model's layout, T frames, no normalisation (the trainer applies it).</summary>
    private static SampleBatch AsStored(ClipLabel[] clips, ServingModel serving)
    {
        var raw = new SkeletonPreprocessor(new PreprocessingOptions { Frames = serving.Frames, CentreOnSpine = false, ViewNormalisation = false });
        return new SampleBatch(
            clips.Select((_, i) => -1L - i).ToArray(),
            clips.Select(c => raw.Process(c.Sample.Sequence).ToArray()).ToArray(),
            clips.Select(c => c.Sample.Sequence.Layout.Id).ToArray(),
            clips.Select(c => c.Class).ToArray(),
            clips.Select(c => c.Confidence).ToArray());
    }

    /// <summary>A whole clip and the label a replay trains it with.</summary>
    private sealed record ClipLabel(SkeletonSample Sample, int Class, float Confidence)
    {
        public static double RightShare(IReadOnlyCollection<ClipLabel> clips) =>
            clips.Count == 0 ? 0 : (double)clips.Count(c => c.Class == c.Sample.ClassIndex) / clips.Count;
    }

    /// <summary>The clips the serving model is sure of (at --min-confidence, 0.95 if 0), with its one-shot answer.</summary>
    private ClipLabel[] LabelledByModel(SkeletonSample[] streamed, ServingModel serving)
    {
        float threshold = _labels.MinConfidence > 0 ? _labels.MinConfidence : 0.95f;
        var predicted = Answers(streamed, serving);
        int classes = predicted.Probabilities.Length / streamed.Length;
        var clips = streamed.Select((s, i) => new ClipLabel(s, predicted.Predicted[i], predicted.Probabilities[i * classes + predicted.Predicted[i]]))
            .Where(c => c.Confidence >= threshold).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"pseudo-labelled sequences: the serving model labels {clips.Length} of {streamed.Length} streamed view-2 sequences at ≥ {threshold}, {ClipLabel.RightShare(clips):P1} of them right"));
        return clips;
    }

    /// <summary>The gate's clips whose whole-clip answer from the serving model names the same class.</summary>
    private ClipLabel[] AgreedWithModel(ClipLabel[] gated, ServingModel serving)
    {
        if (gated.Length == 0) return gated;
        var predicted = Answers(gated.Select(c => c.Sample).ToArray(), serving).Predicted;
        var agreed = gated.Where((c, i) => predicted[i] == c.Class).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"agreed sequences: the serving model agrees on {agreed.Length} of {gated.Length} gated clips, {ClipLabel.RightShare(agreed):P1} of them right"));
        return agreed;
    }

    /// <summary>The serving model's answers on whole clips, preprocessed as it was trained.</summary>
    private static EvaluationResult Answers(IReadOnlyList<SkeletonSample> clips, ServingModel serving)
    {
        using var set = EvaluationSet.Of(clips, serving.Frames);
        return set.Evaluate(serving.Network);
    }

    /// <summary>The clips whose windows the gate pseudo-labelled, each with the label most of those windows got.</summary>
    private ClipLabel[] LabelledByGate(PseudoLabelTruth truth, SkeletonSample[] streamed)
    {
        var byClip = truth.ClipLabels();
        var clips = streamed.Where(s => byClip.ContainsKey(s.Name)).Select(s => new ClipLabel(s, byClip[s.Name], 1f)).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gated sequences: {clips.Length} of {streamed.Length} streamed clips had pseudo-labelled windows; their majority label is right for {ClipLabel.RightShare(clips):P1}"));
        return clips;
    }
}
