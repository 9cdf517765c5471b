using System.Diagnostics;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;
using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using Assl.Model.Training;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.OnlineLearning.Store;
using Microsoft.Extensions.DependencyInjection;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Cli.Experiments;

/// <summary>
/// Evidence for the online loop: a model trained on a few labels of view 1 serves N-UCLA's view 2 as
/// live cameras through a real server; the loop fine-tunes and promotes on its own; every candidate is
/// measured on view 3 (never seen by anything that decides). A second phase corrupts the pseudo-labels
/// to show the guard refusing.
/// </summary>
public sealed class OnlineExperiment(OnlineExperimentSettings settings, TextWriter output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IReadOnlyList<SkeletonSample> _samples = [];
    private EvaluationSet? _view3;
    private EvaluationSet? _deployment;

    public async Task<OnlineExperimentResult> RunAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(settings.WorkDirectory);
        Say($"reading N-UCLA from {settings.DataPath} …");
        _samples = NuclaDataset.Load(settings.DataPath).Samples;
        var split = HeldOutSplit.Create(_samples, [1], settings.HeldOutSubjects, settings.LabelRatio, settings.Seed, settings.HeldOutViews);
        _view3 = EvaluationSet.Of(_samples.Where(s => s.View == 3).ToArray(), frames: 50);
        // The streamed view's held-out subjects: never streamed, so they measure the camera the loop serves.
        _deployment = EvaluationSet.Of(_samples.Where(s => s.View == 2 && settings.HeldOutSubjects.Contains(s.Subject)).ToArray(), frames: 50);

        var startModel = TrainStartModel(split, ct);
        var (startTop1, startDeploymentTop1) = TestTop1(startModel);
        Say($"starting model: {startTop1:P1} top-1 on view 3, {startDeploymentTop1:P1} on view 2's held-out subjects ({split.Labelled.Count} labelled view-1 sequences, {split.Validation.Count} of views {string.Join(",", settings.HeldOutViews)} held out for validation)");

        // The held-out subjects are never streamed: the loop must not train on its own validation samples.
        var clips = _samples.Where(s => s.View == 2 && !settings.HeldOutSubjects.Contains(s.Subject)).OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => ReplayClip.Load(Path.Combine(settings.DataPath, s.Name + ".json"))).ToArray();
        var normal = await RunPhaseAsync("normal", "none", settings.Runs, startModel, (startTop1, startDeploymentTop1), clips, ct);
        PhaseResult? corrupted = null;
        if (settings.CorruptedRuns > 0)
            corrupted = await RunPhaseAsync("corrupted", settings.Corruption, settings.CorruptedRuns, startModel, (startTop1, startDeploymentTop1), clips, ct);

        _view3.Dispose();
        _deployment.Dispose();
        return new OnlineExperimentResult(startTop1, normal.EndTop1, normal.Promotions, normal.Refused, corrupted?.Promotions,
            normal.P99MsWhileTraining, normal.P99MsWithoutTraining, Path.GetFileName(startModel), split.Labelled.Count, split.Validation.Count, normal, corrupted, settings,
            $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}",
            RerunCommand.OfThisProcess(), startDeploymentTop1, normal.EndDeploymentTop1,
            new Assl.Model.Promotion.PromotionPolicy { SignificanceZ = settings.SignificanceZ });
    }

    /// <summary>Supervised on the labelled part of view 1; reused when a previous run already trained it with the same settings.</summary>
    private string TrainStartModel(HeldOutSplit split, CancellationToken ct)
    {
        var path = settings.StartModelPath;
        if (File.Exists(path))
        {
            Say($"reusing {path}");
            return path;
        }
        var config = new TrainingConfig { Method = TrainingMethod.Supervised, LabelRatio = settings.LabelRatio, Seed = settings.Seed, Epochs = settings.StartEpochs, EvaluateEvery = 1000 };
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = config.Frames });
        float[] Prepare(SkeletonSample s) => preprocessor.Process(s.Sequence).ToArray();
        var layout = split.Labelled[0].Sequence.Layout;
        using var data = TrainingData.Create(split.Labelled.Select(Prepare).ToArray(), split.Labelled.Select(s => s.ClassIndex).ToArray(),
            split.Unlabelled.Select(Prepare).ToArray(), null, null, NuclaClasses.Names, config.Frames, layout.JointCount * 3, CPU);
        var trainer = new AsslTrainer(config, BodyParts.Of(layout));
        using var network = trainer.CreateNetwork(data);
        Say($"training the starting model: supervised, {split.Labelled.Count} labelled view-1 sequences, {config.Epochs} epochs …");
        trainer.Train(network, data, (report, _) =>
        {
            if (report.Epoch % 10 == 0) Say($"  epoch {report.Epoch}/{report.Epochs}  ce {report.Losses.GetValueOrDefault("ce"):0.000}");
        }, ct);
        ct.ThrowIfCancellationRequested();
        CheckpointFile.Save(path, network, new ModelManifest
        {
            ModelVersion = $"online-start-r{settings.LabelRatio:0.###}-s{settings.Seed}",
            JointLayout = layout.Id,
            ClassNames = NuclaClasses.Names,
            Preprocessing = new PreprocessingManifest(config.Frames, true, "as the shipped model: view-normalised, resampled to T frames"),
            Network = network.Config,
            Training = config,
            TrainedOn = $"N-UCLA view 1, {split.Labelled.Count} labelled sequences (subjects {string.Join(",", settings.HeldOutSubjects)} held out)",
        });
        return path;
    }

    /// <returns>Top-1 on view 3 and on the streamed view's held-out subjects.</returns>
    private (double View3, double Deployment) TestTop1(string checkpoint)
    {
        var (network, _) = CheckpointFile.Load(checkpoint);
        using (network) return (_view3!.Top1(network), _deployment!.Top1(network));
    }

    /// <summary>
    /// The view-3 measurement of a candidate while cameras stream. It is the experiment's, not the service's, so it
    /// runs as background work does in the server (its own thread, one libtorch thread, the fine-tuning nice value):
    /// on the thread pool with libtorch's default budget it took both cores from serving and was counted in the p99.
    /// </summary>
    /// <remarks>LongRunning gives the work a thread of its own that ends with it, so the lowered priority goes with it.</remarks>
    private Task<(double View3, double Deployment)> TestTop1InBackground(string checkpoint) => Task.Factory.StartNew(() =>
    {
        BackgroundThreadPriority.LowerCurrentThread(settings.Niceness);
        torch.set_num_threads(1);
        return TestTop1(checkpoint);
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private async Task<PhaseResult> RunPhaseAsync(string name, string corruption, int runsWanted, string startModel, (double View3, double Deployment) start,
        IReadOnlyList<ReplayClip> clips, CancellationToken ct)
    {
        var folder = Path.Combine(settings.WorkDirectory, name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var storePath = Path.Combine(folder, "store.db");
        Say($"[{name}] starting a server on {Path.GetFileName(startModel)} (pseudo-labels: {corruption}) …");
        var phaseClock = Stopwatch.StartNew();
        string[] args =
        [
            "--Store:Path=" + storePath,
            "--OnlineLearning:ModelsDirectory=" + Path.Combine(folder, "models"),
            "--OnlineLearning:DataPath=" + settings.DataPath,
            "--OnlineLearning:LabelledViews:0=1",
            "--OnlineLearning:LabelRatio=" + settings.LabelRatio.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--OnlineLearning:LabelSeed=" + settings.Seed,
            .. settings.HeldOutSubjects.Select((s, i) => $"--OnlineLearning:ValidationSubjects:{i}={s}"),
            .. settings.HeldOutViews.Select((v, i) => $"--OnlineLearning:ValidationViews:{i}={v}"),
            "--OnlineLearning:MinNewSamples=" + settings.MinNewSamples,
            "--OnlineLearning:IntervalMinutes=1000",
            "--OnlineLearning:PollSeconds=1",
            "--OnlineLearning:Threads=" + settings.TrainingThreads,
            "--OnlineLearning:Niceness=" + settings.Niceness,
            "--PseudoLabels:ClassAdaptive=" + settings.ClassAdaptive,
            "--OnlineLearning:FineTune:Steps=" + settings.FineTuneSteps,
            "--OnlineLearning:CorruptPseudoLabels=" + corruption,
            "--OnlineLearning:Promotion:SignificanceZ=" + settings.SignificanceZ.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--PseudoLabels:Threshold=" + settings.GateThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--PseudoLabels:ConsecutiveWindows=" + settings.GateConsecutive,
            "--Logging:LogLevel:Assl.Stream.OnlineLearning=Information",
            .. settings.ExtraServerSettings.Select(setting => "--" + setting),
        ];
        await using var server = await InProcessServer.StartAsync(startModel, ct, args);
        var control = server.Services.GetRequiredService<IOnlineLearningControl>();
        using var connection = AsslConnection.Open(server.Address, apiKey: null);
        var observer = new ExperimentObserver();
        int cameras = Math.Min(settings.Cameras, clips.Count);
        var model = await connection.DescribeAsync(ct);
        var options = new ReplayOptions(settings.Speed, Loop: true, StretchToFrames: settings.StretchToFrames, GridFramesPerSecond: model.FramesPerSecond);
        using var stopSending = new CancellationTokenSource();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var replay = Task.WhenAll(Enumerable.Range(0, cameras).Select(c =>
            new CameraReplayer(connection.Client, $"{name}-cam-{c + 1}", clips.Where((_, i) => i % cameras == c).ToArray(), options, observer)
                .RunAsync(stopSending.Token, abort.Token)));

        var baseline = await MeasureBaselineAsync(name, control, replay, ct);
        var runs = new List<ObservedRun>();
        var training = new List<(long Start, long End)>();
        long? trainingSince = null;
        string? lastSeen = null;
        string servingVersion = control.GetStatus().ServingVersion;
        double servingTop1 = start.View3, servingDeploymentTop1 = start.Deployment;
        var deadline = DateTime.UtcNow.AddMinutes(settings.PhaseTimeoutMinutes);
        try
        {
            while (runs.Count < runsWanted && DateTime.UtcNow < deadline && !replay.IsCompleted)
            {
                await Task.Delay(200, ct);
                var status = control.GetStatus();
                bool busy = status.State is OnlineLoopState.Training or OnlineLoopState.Evaluating;
                if (busy && trainingSince is null) trainingSince = Stopwatch.GetTimestamp();
                if (!busy && trainingSince is { } since)
                {
                    training.Add((since, Stopwatch.GetTimestamp()));
                    trainingSince = null;
                }
                if (status.State == OnlineLoopState.Disabled) throw new InvalidOperationException($"the loop switched off: {status.Detail}");
                if (status.LastRun is not { } run || run.CandidateVersion == lastSeen) continue;
                lastSeen = run.CandidateVersion;
                var checkpoint = (await control.ListVersionsAsync(ct)).FirstOrDefault(v => v.Version == run.CandidateVersion)?.CheckpointPath;
                (double View3, double Deployment)? tested = checkpoint is not null && File.Exists(checkpoint) ? await TestTop1InBackground(checkpoint) : null;
                double? testTop1 = tested?.View3;
                if (run.Promoted && tested is { } t)
                {
                    servingVersion = run.CandidateVersion;
                    (servingTop1, servingDeploymentTop1) = t;
                }
                runs.Add(new ObservedRun(run.CandidateVersion, run.Promoted, run.Reason, run.CandidateTop1, run.ServingTop1, testTop1, run.Seconds,
                    phaseClock.Elapsed.TotalSeconds, tested?.Deployment));
                Say($"[{name}] run {runs.Count}: {(run.Promoted ? "PROMOTED" : "refused")} {run.CandidateVersion} in {run.Seconds:0} s, " +
                    $"validation {run.CandidateTop1:P1} vs {run.ServingTop1:P1}, view 3 {testTop1:P1}, view 2 held out {tested?.Deployment:P1}; {run.Reason}");
            }
        }
        finally
        {
            if (trainingSince is { } open) training.Add((open, Stopwatch.GetTimestamp()));
            await stopSending.CancelAsync();
            abort.CancelAfter(TimeSpan.FromSeconds(3));
            try
            {
                await replay;
            }
            catch (Exception e) when (e is OperationCanceledException or Grpc.Core.RpcException)
            {
                // Cut at the end of the phase: expected.
            }
        }
        if (runs.Count < runsWanted) Say($"[{name}] only {runs.Count} of {runsWanted} runs finished before the phase ended");

        observer.WriteTruth(Path.Combine(folder, StoredTruth.FileName));
        var (stored, pseudo, precision) = await PseudoLabelQualityAsync(server.Services.GetRequiredService<ISampleStore>(), observer, ct);
        var all = observer.Latencies();
        var whileTraining = observer.Latencies(training);
        var withoutTraining = baseline is { } b ? observer.Latencies([b]) : [];
        var result = new PhaseResult(corruption, runs, servingVersion, servingTop1, stored, pseudo, precision, observer.Events,
            LatencyRecorder.Percentile(all, 50), LatencyRecorder.Percentile(all, 99),
            whileTraining.Length == 0 ? null : LatencyRecorder.Percentile(whileTraining, 99), whileTraining.Length, phaseClock.Elapsed.TotalSeconds,
            withoutTraining.Length == 0 ? null : LatencyRecorder.Percentile(withoutTraining, 99), withoutTraining.Length, servingDeploymentTop1);
        Say($"[{name}] done in {result.Seconds:0} s: {result.Promotions} promoted, {result.Refused} refused; serving {servingVersion} at {servingTop1:P1} on view 3; " +
            $"{pseudo} pseudo-labels ({precision:P1} right); p99 {result.P99Ms:0.0} ms, while training {result.P99MsWhileTraining:0.0} ms, " +
            $"loop paused {result.P99MsWithoutTraining:0.0} ms");
        return result;
    }

    /// <summary>
    /// The same cameras with the loop paused: the latency this workload has without training, the figure that
    /// "p99 while training" is compared with. Runs of the loop follow each other closely once it learns, so
    /// without this pause the phase has almost no untrained time to measure. The first seconds warm up.
    /// </summary>
    private async Task<(long Start, long End)?> MeasureBaselineAsync(string name, IOnlineLearningControl control, Task replay, CancellationToken ct)
    {
        if (settings.BaselineSeconds <= 0) return null;
        control.Pause();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(BaselineWarmupSeconds), ct);
            long start = Stopwatch.GetTimestamp();
            await Task.WhenAny(replay, Task.Delay(TimeSpan.FromSeconds(settings.BaselineSeconds), ct));
            Say($"[{name}] measured {settings.BaselineSeconds} s with the loop paused (baseline latency); resuming it");
            return (start, Stopwatch.GetTimestamp());
        }
        finally
        {
            control.Resume();
        }
    }

    private const int BaselineWarmupSeconds = 10;

    /// <summary>How many stored pseudo-labels name the true class of the clip their body played.</summary>
    private static async Task<(long Stored, long Pseudo, double? Precision)> PseudoLabelQualityAsync(ISampleStore store, ExperimentObserver observer, CancellationToken ct)
    {
        long stored = 0, pseudo = 0, right = 0, known = 0;
        await foreach (var sample in store.AllWindowsAsync(ct))
        {
            stored++;
            if (sample.Label is null) continue;
            pseudo++;
            if (observer.TruthOf(sample.Window.CameraId, sample.Window.BodyId) is not { } truth) continue;
            known++;
            if (truth == sample.Label.ClassIndex) right++;
        }
        return (stored, pseudo, known == 0 ? null : (double)right / known);
    }

    private void Say(string line) => output.WriteLine($"{_clock.Elapsed:mm\\:ss}  {line}");
}
