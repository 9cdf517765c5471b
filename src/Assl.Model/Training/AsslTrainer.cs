using System.Diagnostics;
using Assl.Model.Networks;
using Assl.Model.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Trains an <see cref="AsslNetwork"/> with ASSL or one of the baselines on the same schedule.
/// One epoch is as many steps as it takes to see the unlabelled set once (the labelled set cycles).
/// </summary>
public sealed class AsslTrainer
{
    private readonly TrainingConfig _config;
    private readonly IReadOnlyList<int[]> _bodyParts;

    public AsslTrainer(TrainingConfig config, IReadOnlyList<int[]> bodyParts)
    {
        config.Validate();
        _config = config.AtItsLabelRatio();
        _bodyParts = bodyParts;
    }

    public static Device ResolveDevice(string name)
    {
        var device = torch.device(name);
        if (device.type == DeviceType.CUDA && !cuda.is_available())
            throw new InvalidOperationException(
                $"Device '{name}' was asked for, but this TorchSharp build has no CUDA (CPU libtorch). Use \"cpu\" or reference a CUDA libtorch package.");
        return device;
    }

    /// <summary>Builds a fresh network for the data's shapes, seeded from the config.</summary>
    public AsslNetwork CreateNetwork(TrainingData data)
    {
        torch.manual_seed(_config.Seed);
        var network = new AsslNetwork(new AsslNetworkConfig(data.Channels, data.ClassNames.Count, _config.Encoder, _config.TranslationDim));
        return network.to(ResolveDevice(_config.Device));
    }

    /// <param name="onEpoch">Called after each epoch with the report and the network (e.g. to checkpoint).</param>
    public TrainingHistoryLog Train(AsslNetwork network, TrainingData data, Action<EpochReport, AsslNetwork>? onEpoch = null,
        CancellationToken cancellationToken = default)
    {
        if (_config.Threads > 0) torch.set_num_threads(_config.Threads);
        torch.manual_seed(_config.Seed);
        var rng = new Random(_config.Seed);
        var device = data.Labelled.device;
        bool usesUnlabelled = _config.Method != TrainingMethod.Supervised && data.UnlabelledCount > 0;
        bool consistency = _config.Method == TrainingMethod.Assl && _config.LambdaConsistency > 0 && data.UnlabelledCount > _config.Neighbours;
        bool adversarial = _config.Method == TrainingMethod.Assl && _config.LambdaAdversarial > 0 && usesUnlabelled;
        bool inpainting = _config.Method == TrainingMethod.Assl && _config.LambdaInpainting > 0;

        int half = _config.BatchSize / 2;
        long stepsPerEpoch = Math.Max(1, (long)Math.Ceiling((double)Math.Max(data.UnlabelledCount, data.LabelledCount) / half));
        long totalSteps = stepsPerEpoch * _config.Epochs;
        long rampSteps = stepsPerEpoch * _config.RampUpEpochs;
        long consistencyStart = stepsPerEpoch * _config.ConsistencyWarmupEpochs;

        var weak = new TensorAugmenter(_config.Augmentation, _bodyParts);
        var strong = new TensorAugmenter(_config.StrongAugmentation, _bodyParts);
        var masker = new InpaintingMasker(_config.MaskFrameFraction, _config.MaskJointGroup ? _bodyParts : null);
        var labelledSampler = new IndexSampler((int)data.LabelledCount, new Random(rng.Next()));
        var unlabelledSampler = usesUnlabelled ? new IndexSampler((int)data.UnlabelledCount, new Random(rng.Next())) : null;

        using var optimizer = new HeldScalarAdam(network.parameters(), _config.LearningRate, _config.WeightDecay);
        using var bank = consistency ? new MemoryBank(TranslateAll(network, data.Unlabelled)) : null;
        using var average = _config.WeightAverageDecay > 0 ? NetworkCopy.Clone(network, device) : null;
        var evaluated = average ?? network;
        using var teacher = _config.TeacherDecay > 0 && usesUnlabelled ? NetworkCopy.Clone(network, device) : null;
        teacher?.eval();
        var bars = _config.FlexiblePseudoLabelThreshold && usesUnlabelled
            ? new FlexibleThresholds((int)data.UnlabelledCount, data.ClassNames.Count, _config.PseudoLabelThreshold)
            : null;

        var history = new TrainingHistoryLog(_config);
        var clock = Stopwatch.StartNew();
        long step = 0;
        for (int epoch = 1; epoch <= _config.Epochs && !cancellationToken.IsCancellationRequested; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            long skippedBefore = optimizer.SkippedSteps;
            var sums = new Dictionary<string, double>();
            int steps = 0;
            network.train();
            for (long s = 0; s < stepsPerEpoch && !cancellationToken.IsCancellationRequested; s++, step++)
            {
                double lr = LearningRateSchedule.Cosine(step, totalSteps, _config.LearningRate);
                optimizer.LearningRate = lr;
                double ramp = AsslLosses.RampUp(step, rampSteps);
                double consistencyRamp = step < consistencyStart ? 0 : AsslLosses.RampUp(step - consistencyStart, rampSteps);

                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                var terms = new Dictionary<string, Tensor>();

                var li = tensor(labelledSampler.Next(half), device: device);
                var xl = weak.Apply(data.Labelled.index_select(0, li), rng);
                var yl = data.Labels.index_select(0, li);

                if (_config.Method == TrainingMethod.Supervised)
                {
                    terms["ce"] = nn.functional.cross_entropy(network.forward(xl), yl);
                }
                else if (_config.Method == TrainingMethod.PseudoLabel)
                {
                    var ui = tensor(unlabelledSampler!.Next(half), device: device);
                    var xuRaw = data.Unlabelled.index_select(0, ui);
                    terms["ce"] = nn.functional.cross_entropy(network.forward(xl), yl);
                    Tensor weakLogits;
                    using (no_grad()) weakLogits = (teacher ?? network).forward(weak.Apply(xuRaw, rng));
                    terms["pseudo"] = PseudoLabel(network.forward(strong.Apply(xuRaw, rng)), weakLogits, ui, bars)
                        .Times(_config.LambdaPseudoLabel);
                }
                else
                {
                    AsslStep(network, teacher, data, xl, yl, half, rng, weak, strong, masker, unlabelledSampler, bank, bars, ramp, consistencyRamp,
                        inpainting, consistency, adversarial, terms, device);
                }

                var total = terms.Values.Aggregate((a, b) => a + b);
                total.backward();
                optimizer.Step();
                if (average is not null) NetworkCopy.UpdateEma(average, network, _config.WeightAverageDecay);
                if (teacher is not null) NetworkCopy.UpdateEma(teacher, network, _config.TeacherDecay);
                foreach (var (name, value) in terms)
                    sums[name] = sums.GetValueOrDefault(name) + value.item<float>();
                sums["total"] = sums.GetValueOrDefault("total") + total.item<float>();
                steps++;
            }

            double? top1 = null;
            if (data.Test is not null && (epoch % _config.EvaluateEvery == 0 || epoch == _config.Epochs))
                top1 = Evaluate(evaluated, data.Test, data.TestLabels!, views: _config.TestTimeViews).Top1;
            var report = new EpochReport(epoch, _config.Epochs,
                sums.ToDictionary(p => p.Key, p => p.Value / Math.Max(1, steps)), top1,
                LearningRateSchedule.Cosine(step, totalSteps, _config.LearningRate), epochClock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds)
            {
                SkippedSteps = optimizer.SkippedSteps - skippedBefore,
            };
            history.Add(report);
            onEpoch?.Invoke(report, evaluated);
        }
        // The caller's network becomes the model that was evaluated, so what it saves is what was measured.
        if (average is not null) NetworkCopy.CopyInto(average, network);
        history.Cancelled = cancellationToken.IsCancellationRequested;
        return history;
    }

    private void AsslStep(AsslNetwork network, AsslNetwork? teacher, TrainingData data, Tensor xl, Tensor yl, int half, Random rng,
        TensorAugmenter weak, TensorAugmenter strong, InpaintingMasker masker, IndexSampler? unlabelledSampler, MemoryBank? bank,
        FlexibleThresholds? bars, double ramp, double consistencyRamp, bool inpainting, bool consistency, bool adversarial, Dictionary<string, Tensor> terms, Device device)
    {
        Tensor? ui = unlabelledSampler is null ? null : tensor(unlabelledSampler.Next(half), device: device);
        var xuRaw = ui is null ? null : data.Unlabelled.index_select(0, ui);
        var xu = xuRaw is null ? null : weak.Apply(xuRaw, rng);
        var x = xu is null ? xl : cat([xl, xu]);
        long nl = xl.shape[0];

        var translated = network.Translate(network.Encode(x));
        var logits = network.Classify(translated);
        terms["ce"] = nn.functional.cross_entropy(logits.narrow(0, 0, nl), yl);

        bool maskedStudent = _config.ConsistencyStudent.IsMasked() && xuRaw is not null;
        // The student's masked copy, encoded once: with decode it is the inpainting input too (labelled samples in front
        // when every sample is inpainted), so one pass serves both terms; the student's logits are its last rows.
        (Tensor? Inpainting, StudentView View) MaskedStudentPass(bool decode)
        {
            var source = _config.ConsistencyStudent == ConsistencyStudent.MaskedStrong ? strong.Apply(xuRaw!, rng) : xu!;
            var encoded = decode && _config.InpaintingSamples == InpaintingSamples.All ? cat([xl, source]) : source;
            var (features, loss) = AsslTerms.MaskedPass(network, encoded, masker, rng, decode);
            var studentTranslated = network.Translate(features.narrow(0, encoded.shape[0] - source.shape[0], source.shape[0]));
            return (loss, new StudentView(studentTranslated, network.Classify(studentTranslated)));
        }

        // The harder view the centre (and the pseudo-label term) teaches: strong, or the masked copy.
        StudentView? hardViewU = null;
        if (inpainting && maskedStudent)
        {
            var (loss, view) = MaskedStudentPass(decode: true);
            terms["inpaint"] = loss!.Times(_config.LambdaInpainting);
            hardViewU = view;
        }
        else if (inpainting)
        {
            var inpainted = _config.InpaintingSamples == InpaintingSamples.Unlabelled && xu is not null ? xu : x;
            terms["inpaint"] = AsslTerms.Inpainting(network, inpainted, masker, rng).Times(_config.LambdaInpainting);
        }

        if (xu is null || ui is null) return;
        var translatedU = translated.narrow(0, nl, xu.shape[0]);

        var weakLogitsU = logits.narrow(0, nl, xu.shape[0]);
        // Without the inpainting term (its ablation), a masked student still sees its masked copy: only the
        // reconstruction goes.
        StudentView HardViewU() => hardViewU ??= maskedStudent
            ? MaskedStudentPass(decode: false).View
            : StudentView.Of(network, network.Translate(network.Encode(strong.Apply(xuRaw!, rng))));
        Tensor HardLogitsU() => HardViewU().Logits;

        if (consistency && bank is not null)
        {
            // During the warm-up the term is skipped outright (no extra pass), but the bank still follows
            // the features, so the first neighbourhoods after it are current.
            if (consistencyRamp > 0)
            {
                var studentLogits = _config.ConsistencyStudent == ConsistencyStudent.Weak ? weakLogitsU : HardLogitsU();
                terms["consistency"] = AsslTerms.Consistency(network, bank, translatedU, ui, studentLogits, _config.Neighbours,
                        _config.ConsistencyTemperature, _config.ConsistencyMinConfidence)
                    .Times(_config.LambdaConsistency * consistencyRamp);
            }
            else
            {
                bank.Update(ui, translatedU);
            }
        }

        if (_config.LambdaAsslPseudoLabel > 0)
        {
            Tensor targets;
            if (teacher is null) targets = weakLogitsU;
            else using (no_grad()) targets = teacher.forward(xu);
            terms["pseudo"] = PseudoLabel(HardLogitsU(), targets, ui, bars).Times(_config.LambdaAsslPseudoLabel);
        }

        if (_config.LambdaContrastive > 0)
            terms["contrastive"] = AsslLosses.Contrastive(translatedU, HardViewU().Translated, _config.ContrastiveTemperature)
                .Times(_config.LambdaContrastive);

        if (adversarial)
            terms["adversarial"] = AsslTerms.Adversarial(network, translated, nl).Times(_config.LambdaAdversarial * ramp);
    }

    /// <summary>The pseudo-label loss at the fixed bar, or at the per-class bars, which then learn from this batch.</summary>
    private Tensor PseudoLabel(Tensor strongLogits, Tensor weakLogits, Tensor unlabelledIndices, FlexibleThresholds? bars)
    {
        if (bars is null) return AsslLosses.PseudoLabel(strongLogits, weakLogits, _config.PseudoLabelThreshold);
        using var perClass = bars.BarsTensor(weakLogits.dtype, weakLogits.device);
        var loss = AsslLosses.PseudoLabel(strongLogits, weakLogits, perClass);
        bars.Observe(unlabelledIndices, weakLogits);
        return loss;
    }

    /// <summary>Translated features of every sample, in eval mode, without gradient.</summary>
    public static Tensor TranslateAll(AsslNetwork network, Tensor samples, int batch = 256)
    {
        var parts = new List<Tensor>();
        EvalChunks.Run(network, samples, chunk => parts.Add(network.Translate(network.Encode(chunk)).MoveToOuterDisposeScope()), batch);
        var all = cat(parts);
        foreach (var p in parts) p.Dispose();
        return all;
    }

    /// <summary>Top-1 and predictions on a labelled set, in eval mode, without gradient.</summary>
    /// <param name="views">Test-time views to average each clip's probabilities over; null: the clip alone.</param>
    public static EvaluationResult Evaluate(AsslNetwork network, Tensor samples, Tensor labels, int batch = 256, TestTimeViews? views = null)
    {
        var predicted = new List<long>();
        var probabilities = new List<float>();
        EvalChunks.Run(network, samples, chunk =>
        {
            var probs = views is null
                ? nn.functional.softmax(network.forward(chunk), 1)
                : views.Average(chunk, view => nn.functional.softmax(network.forward(view), 1));
            predicted.AddRange(probs.argmax(1).cpu().data<long>().ToArray());
            probabilities.AddRange(probs.cpu().data<float>().ToArray());
        }, batch);
        long[] truth;
        using (var cpuLabels = labels.cpu()) truth = cpuLabels.data<long>().ToArray();
        int correct = truth.Zip(predicted).Count(p => p.First == p.Second);
        return new EvaluationResult(
            truth.Select(t => (int)t).ToArray(), predicted.Select(p => (int)p).ToArray(),
            probabilities.ToArray(), (double)correct / truth.Length);
    }

    /// <summary>The consistency student's view of the unlabelled half: its translated features and its logits.</summary>
    private sealed record StudentView(Tensor Translated, Tensor Logits)
    {
        public static StudentView Of(AsslNetwork network, Tensor translated) => new(translated, network.Classify(translated));
    }
}
