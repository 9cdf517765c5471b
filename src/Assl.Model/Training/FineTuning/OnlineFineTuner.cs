using System.Diagnostics;
using Assl.Model.Networks;
using Assl.Model.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Training.FineTuning;

/// <summary>
/// Trains a copy of a served model on its labelled set, the pseudo-labelled windows it served
/// (down-weighted, strongly augmented) and unlabelled windows (ASSL's inpainting, adversarial and,
/// when switched on, neighbourhood-consistency and teacher terms). An EMA teacher of the student is the result:
/// it moves slowly, so a few bad batches do not swing the candidate.
/// </summary>
/// <remarks>Runs entirely on the calling thread (TorchSharp dispose scopes are per thread).</remarks>
public sealed class OnlineFineTuner
{
    private readonly FineTuneConfig _config;
    private readonly IReadOnlyList<int[]> _bodyParts;

    public OnlineFineTuner(FineTuneConfig config, IReadOnlyList<int[]> bodyParts)
    {
        config.Validate();
        _config = config;
        _bodyParts = bodyParts;
    }

    /// <param name="start">The served model; only read (its weights are copied), never changed.</param>
    /// <param name="onStep">Called after each step (e.g. to report progress or to yield the CPU).</param>
    /// <returns>The teacher (a new network the caller owns) and the mean of each loss term.</returns>
    public FineTuneResult Run(AsslNetwork start, FineTuneData data, Action<FineTuneStep>? onStep = null, CancellationToken cancellationToken = default)
    {
        var device = data.Labelled.device;
        var rng = new Random(_config.Seed);
        torch.manual_seed(_config.Seed);
        using var student = NetworkCopy.Clone(start, device);
        var teacher = NetworkCopy.Clone(start, device);
        teacher.eval();
        try
        {
            var sums = Train(student, teacher, data, rng, onStep, cancellationToken);
            return new FineTuneResult(teacher, sums.Steps, sums.Means, cancellationToken.IsCancellationRequested);
        }
        catch
        {
            teacher.Dispose();
            throw;
        }
    }

    private (int Steps, IReadOnlyDictionary<string, double> Means) Train(AsslNetwork student, AsslNetwork teacher, FineTuneData data, Random rng,
        Action<FineTuneStep>? onStep, CancellationToken cancellationToken)
    {
        int batch = _config.BatchSize;
        var weak = new TensorAugmenter(_config.Augmentation, _bodyParts);
        var strong = new TensorAugmenter(_config.PseudoLabelAugmentation, _bodyParts);
        var masker = new InpaintingMasker(_config.MaskFrameFraction, _config.MaskJointGroup ? _bodyParts : null);
        var labelled = new IndexSampler((int)data.LabelledCount, new Random(rng.Next()));
        var pseudo = data.PseudoCount > 0 ? new IndexSampler((int)data.PseudoCount, new Random(rng.Next())) : null;
        var unlabelled = data.UnlabelledCount > 0 ? new IndexSampler((int)data.UnlabelledCount, new Random(rng.Next())) : null;
        bool consistency = _config.LambdaConsistency > 0 && data.UnlabelledCount > _config.Neighbours;
        var device = data.Labelled.device;

        using var optimizer = new HeldScalarAdam(student.parameters(), _config.LearningRate);
        using var bank = consistency ? new MemoryBank(AsslTrainer.TranslateAll(student, data.Unlabelled)) : null;
        var sums = new Dictionary<string, double>();
        var clock = Stopwatch.StartNew();
        int steps = 0;
        student.train();
        for (; steps < _config.Steps && !cancellationToken.IsCancellationRequested; steps++)
        {
            using (var scope = NewDisposeScope())
            {
                optimizer.ZeroGrad();
                var terms = new Dictionary<string, Tensor>();
                var li = tensor(labelled.Next(Math.Min(batch, (int)data.LabelledCount)), device: device);
                var xl = weak.Apply(data.Labelled.index_select(0, li), rng);
                var yl = data.Labels.index_select(0, li);
                Tensor? ui = unlabelled is null ? null : tensor(unlabelled.Next(Math.Min(batch, (int)data.UnlabelledCount)), device: device);
                var xuRaw = ui is null ? null : data.Unlabelled.index_select(0, ui);
                var xu = xuRaw is null ? null : weak.Apply(xuRaw, rng);

                var x = xu is null ? xl : cat([xl, xu]);
                long nl = xl.shape[0];
                var translated = student.Translate(student.Encode(x));
                var logits = student.Classify(translated);
                terms["ce"] = nn.functional.cross_entropy(logits.narrow(0, 0, nl), yl);

                if (pseudo is not null && _config.PseudoLabelWeight > 0)
                {
                    var pi = tensor(pseudo.Next(Math.Min(batch, (int)data.PseudoCount)), device: device);
                    var xp = strong.Apply(data.Pseudo.index_select(0, pi), rng);
                    terms["pseudo"] = nn.functional.cross_entropy(student.forward(xp), data.PseudoLabels.index_select(0, pi))
                        .Times(_config.PseudoLabelWeight);
                }

                if (_config.LambdaInpainting > 0)
                    terms["inpaint"] = AsslTerms.Inpainting(student, x, masker, rng).Times(_config.LambdaInpainting);

                if (xu is not null && xuRaw is not null && _config.LambdaTeacher > 0)
                {
                    Tensor teacherLogits;
                    using (no_grad()) teacherLogits = teacher.forward(xu);
                    terms["teacher"] = AsslLosses.PseudoLabel(student.forward(strong.Apply(xuRaw, rng)), teacherLogits, _config.TeacherThreshold)
                        .Times(_config.LambdaTeacher);
                }

                if (xu is not null && ui is not null)
                {
                    if (bank is not null)
                        terms["consistency"] = AsslTerms.Consistency(student, bank, translated.narrow(0, nl, xu.shape[0]), ui,
                            logits.narrow(0, nl, xu.shape[0]), _config.Neighbours).Times(_config.LambdaConsistency);
                    if (_config.LambdaAdversarial > 0)
                        terms["adversarial"] = AsslTerms.Adversarial(student, translated, nl).Times(_config.LambdaAdversarial);
                }

                var total = terms.Values.Aggregate((a, b) => a.Plus(b));
                total.backward();
                optimizer.Step();
                foreach (var (name, value) in terms) sums[name] = sums.GetValueOrDefault(name) + value.item<float>();
                sums["total"] = sums.GetValueOrDefault("total") + total.item<float>();
            }
            NetworkCopy.UpdateEma(teacher, student, _config.EmaDecay);
            onStep?.Invoke(new FineTuneStep(steps + 1, _config.Steps, clock.Elapsed.TotalSeconds));
        }
        return (steps, sums.ToDictionary(p => p.Key, p => p.Value / Math.Max(1, steps)));
    }
}

/// <param name="Candidate">The EMA teacher after the run; the caller disposes it.</param>
/// <param name="Steps">Steps taken (fewer than asked when cancelled).</param>
/// <param name="MeanLosses">Mean of each loss term over the run, and "total".</param>
public sealed record FineTuneResult(AsslNetwork Candidate, int Steps, IReadOnlyDictionary<string, double> MeanLosses, bool Cancelled);

public readonly record struct FineTuneStep(int Step, int Steps, double Seconds);
