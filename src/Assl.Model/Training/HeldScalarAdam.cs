using Assl.Model.Tensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Training;

/// <summary>
/// Adam (Kingma and Ba), with L2 weight decay added to the gradient, computed exactly as TorchSharp 0.107's
/// <c>optim.Adam</c> computes it (same operations in the same order, so the same parameters to the last bit), but
/// with every number that the update passes to libtorch held in a <see cref="Scalar"/> that lives until the
/// operation has returned.
/// </summary>
/// <remarks>
/// Why not TorchSharp's own: its step turns β₁, 1 − β₁, β₂, 1 − β₂, ε, √(bias correction) and the step size into
/// temporary <see cref="Scalar"/>s and passes only their native handles on. A <see cref="Scalar"/> is freed by its
/// finalizer, so a garbage collection during the native call can free one while libtorch reads it (the hazard that
/// <see cref="Networks.HeldScalarBatchNorm2d"/> works around, and which killed a training run there). Adam makes
/// seven such temporaries per parameter per step: millions over a training run, and the online fine-tuner runs it
/// inside the server.
/// </remarks>
public sealed class HeldScalarAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;
    private bool _disposed;

    public HeldScalarAdam(IEnumerable<Parameter> parameters, double learningRate, double weightDecay = 0,
        double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        if (learningRate < 0) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must not be negative.");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must not be negative.");
        if (beta1 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "β₁ must be in [0, 1).");
        if (beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "β₂ must be in [0, 1).");
        if (epsilon < 0) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must not be negative.");
        _parameters = parameters.ToArray();
        LearningRate = learningRate;
        _weightDecay = weightDecay;
        _beta1 = beta1;
        _beta2 = beta2;
        _epsilon = epsilon;
        _steps = new long[_parameters.Length];
        using (no_grad())
        {
            _firstMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
            _secondMoments = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        }
    }

    /// <summary>The step size of the next <see cref="Step"/>; schedules set it before each step.</summary>
    public double LearningRate { get; set; }

    /// <summary>Zeroes every parameter's gradient in place (as TorchSharp's <c>zero_grad</c> does; it keeps the tensors).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var parameter in _parameters)
        {
            using var gradient = parameter.grad;
            gradient?.zero_();
        }
    }

    /// <summary>Steps refused because a gradient held NaN or infinity.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>
    /// Updates every parameter that has a gradient. Each parameter counts its own steps for the bias correction,
    /// as TorchSharp's Adam does, so a parameter without a gradient on some steps is corrected for the steps it took.
    /// Returns false, and changes nothing (parameters, moments, step counts), when any gradient is not finite.
    /// </summary>
    /// <remarks>
    /// Why the check: libtorch 2.10's CPU <c>conv2d</c> backward was seen to return NaN in part of an input gradient,
    /// intermittently, for small shapes (docs/results/nucla-findings.md, 2026-12-05). One NaN step would turn both
    /// moments, and so every later step, into NaN: skipping it, as mixed-precision loss scalers do, loses one batch.
    /// </remarks>
    public bool Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        if (!GradientsAreFinite())
        {
            SkippedSteps++;
            return false;
        }
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var oneMinusBeta1 = (1 - _beta1).ToScalar();
        using var oneMinusBeta2 = (1 - _beta2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var weightDecay = _weightDecay.ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var parameter = _parameters[i];
            var gradient = parameter.grad;
            if (gradient is null) continue;

            long step = ++_steps[i];
            double biasCorrection1 = 1 - Math.Pow(_beta1, step);
            double biasCorrection2 = 1 - Math.Pow(_beta2, step);
            using var rootBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            using var negativeStepSize = (-(LearningRate / biasCorrection1)).ToScalar();

            if (_weightDecay != 0) gradient = gradient.add(parameter, alpha: weightDecay);
            _firstMoments[i].mul_(beta1).add_(gradient, alpha: oneMinusBeta1);
            _secondMoments[i].mul_(beta2).addcmul_(gradient, gradient.conj(), value: oneMinusBeta2);
            var denominator = _secondMoments[i].sqrt().div(rootBiasCorrection2).add_(epsilon);
            parameter.addcdiv_(_firstMoments[i], denominator, value: negativeStepSize);
        }
        return true;
    }

    private bool GradientsAreFinite()
    {
        // One sum per gradient and one read back: NaN and ±∞ survive a sum (∞ − ∞ is NaN), so one scalar tells.
        Tensor? total = null;
        foreach (var parameter in _parameters)
        {
            var gradient = parameter.grad;
            if (gradient is null) continue;
            var sum = gradient.sum();
            total = total is null ? sum : total.Plus(sum);
        }
        return total is null || isfinite(total).item<bool>();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var moment in _firstMoments.Concat(_secondMoments)) moment.Dispose();
    }
}
