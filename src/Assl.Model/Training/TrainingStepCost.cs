using System.Diagnostics;
using Assl.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// What the passes of one training step cost, in milliseconds of forward and backward on a half-batch (the
/// labelled or the unlabelled half of a step). A step's time is the sum of the passes its method runs, so these
/// figures say where a run's time goes and what dropping or merging a pass would save.
/// </summary>
/// <param name="HalfBatch">Windows per half-batch (<see cref="TrainingConfig.BatchSize"/> / 2).</param>
/// <param name="EncoderPass">Encoder, translation and classifier with cross-entropy, on one half-batch.</param>
/// <param name="JointPass">The same on both halves at once, as ASSL runs labelled and weak unlabelled windows.</param>
/// <param name="Inpainting">
/// Masking, encoding the masked copy and decoding it, on the windows the config inpaints: the unlabelled half, or
/// both halves (<see cref="TrainingConfig.InpaintingSamples"/>).
/// </param>
/// <param name="Decoder">The decoder alone on one half-batch, from features that need no encoder pass.</param>
/// <param name="Optimizer">One Adam update of every parameter.</param>
/// <param name="InpaintedWindows">Windows the inpainting pass reconstructs: a half-batch or both halves.</param>
public sealed record TrainingStepCost(int HalfBatch, double EncoderPass, double JointPass, double Inpainting, double Decoder, double Optimizer,
    int InpaintedWindows)
{
    public double SupervisedStep => EncoderPass + Optimizer;

    /// <summary>
    /// An ASSL step: the joint pass, the masked copy (with inpainting) and the strongly augmented copy (when the
    /// consistency student or the pseudo-label term reads it). The small heads (weighting MLP, discriminator) are
    /// left out: they cost a fraction of a millisecond.
    /// </summary>
    public double AsslStep(bool inpainting, bool strongView) =>
        JointPass + (inpainting ? Inpainting : 0) + (strongView ? EncoderPass : 0) + Optimizer;

    /// <summary>Whether an ASSL step under <paramref name="config"/> runs the masked copy: its inpainting term is on.</summary>
    public static bool RunsInpainting(TrainingConfig config) => config.LambdaInpainting > 0;

    /// <summary>
    /// Whether an ASSL step under <paramref name="config"/> runs a pass of its own on the strongly augmented copy:
    /// consistency teaches it, the pseudo-label term trains on it, or the contrastive term contrasts it (as <see cref="AsslTrainer"/> decides per step
    /// once warm-up is over), and it is not the masked copy the inpainting pass encodes anyway.
    /// </summary>
    public static bool RunsStrongView(TrainingConfig config)
    {
        bool wanted = (config.LambdaConsistency > 0 && config.ConsistencyStudent != ConsistencyStudent.Weak) || config.LambdaAsslPseudoLabel > 0
            || config.LambdaContrastive > 0;
        bool sharedWithInpainting = config.ConsistencyStudent.IsMasked() && RunsInpainting(config);
        return wanted && !sharedWithInpainting;
    }

    /// <summary>An ASSL step with the passes <paramref name="config"/> runs.</summary>
    public double AsslStep(TrainingConfig config) => AsslStep(RunsInpainting(config), RunsStrongView(config));
}

/// <summary>Measures <see cref="TrainingStepCost"/> for a config on real windows.</summary>
public static class TrainingStepTimer
{
    /// <param name="windows">Preprocessed windows (N, T, C) with N ≥ the config's batch size.</param>
    /// <param name="labels">Their class indices (N).</param>
    /// <param name="secondsPerFigure">Wall time spent measuring each figure (after a warm-up).</param>
    public static TrainingStepCost Measure(TrainingConfig config, Tensor windows, Tensor labels, int classes, IReadOnlyList<int[]> bodyParts,
        double secondsPerFigure)
    {
        config.Validate();
        int half = config.BatchSize / 2;
        if (windows.dim() != 3 || windows.shape[0] < 2 * half)
            throw new ArgumentException($"Need at least {2 * half} windows (N, T, C) for batch size {config.BatchSize}, got ({string.Join(", ", windows.shape)}).");
        if (config.Threads > 0) torch.set_num_threads(config.Threads);
        torch.manual_seed(config.Seed);

        var device = AsslTrainer.ResolveDevice(config.Device);
        using var x = windows.narrow(0, 0, 2 * half).to(device);
        using var y = labels.narrow(0, 0, 2 * half).to(device);
        using var xHalf = x.narrow(0, 0, half);
        using var yHalf = y.narrow(0, 0, half);
        using var network = new AsslNetwork(new AsslNetworkConfig((int)windows.shape[2], classes, config.Encoder, config.TranslationDim)).to(device);
        network.train();
        var masker = new InpaintingMasker(config.MaskFrameFraction, config.MaskJointGroup ? bodyParts : null);
        var rng = new Random(config.Seed);

        Action Backward(Func<Tensor> loss) => () =>
        {
            using var scope = NewDisposeScope();
            loss().backward();
            network.zero_grad();
        };

        var inpainted = config.InpaintingSamples == InpaintingSamples.All ? x : xHalf;
        Tensor features;
        using (no_grad()) features = network.Encode(xHalf);
        double[] passes;
        using (features)
            passes = TimeInTurn([
                Backward(() => nn.functional.cross_entropy(network.forward(xHalf), yHalf)),
                Backward(() => nn.functional.cross_entropy(network.forward(x), y)),
                Backward(() => AsslTerms.Inpainting(network, inpainted, masker, rng)),
                Backward(() => network.Inpaint(features, xHalf).square().mean()),
            ], secondsPerFigure);
        var (encoderPass, jointPass, inpainting, decoder) = (passes[0], passes[1], passes[2], passes[3]);

        using var optimizer = new HeldScalarAdam(network.parameters(), config.LearningRate, config.WeightDecay);
        using (var scope = NewDisposeScope()) nn.functional.cross_entropy(network.forward(x), y).backward();
        double step = TimeInTurn([() => optimizer.Step()], secondsPerFigure)[0];
        return new TrainingStepCost(half, encoderPass, jointPass, inpainting, decoder, step, (int)inpainted.shape[0]);
    }

    /// <summary>
    /// Milliseconds per call of each action: two warm-up calls each (allocation, kernel choice), then one call of each
    /// in turn until <paramref name="secondsPerAction"/> per action is spent; each action's median call. In turn, because
    /// a shared host runs fast and slow for seconds at a time: timed one after another, one figure could get a slow
    /// phase and the next a fast one, and their ratio would say nothing about the passes.
    /// </summary>
    private static double[] TimeInTurn(IReadOnlyList<Action> actions, double secondsPerAction)
    {
        foreach (var action in actions)
        {
            action();
            action();
        }
        var calls = actions.Select(_ => new List<double>()).ToArray();
        var total = Stopwatch.StartNew();
        while (calls[0].Count < 3 || total.Elapsed.TotalSeconds < secondsPerAction * actions.Count)
            for (int i = 0; i < actions.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                actions[i]();
                calls[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        return calls.Select(Median).ToArray();
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        int middle = values.Count / 2;
        return values.Count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
