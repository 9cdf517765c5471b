using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Batch normalisation over (N, C, H, W), the same as TorchSharp's <c>nn.BatchNorm2d(channels)</c> (momentum 0.1,
/// eps 1e-5, affine, running statistics) with the same state-dict entries, so checkpoints are interchangeable.
/// </summary>
/// <remarks>
/// Why not TorchSharp's own: in 0.107 its forward counts batches with <c>num_batches_tracked.add_(1)</c>, which makes
/// two temporary <see cref="Scalar"/>s and passes only their native handles on. A <see cref="Scalar"/> is freed by its
/// finalizer, and nothing keeps the temporaries alive during the native call, so a garbage collection at that moment
/// can free them while libtorch reads them. A 40-epoch N-UCLA run died that way at epoch 28 ("For integral input
/// tensors, argument alpha must not be a floating point number": the freed alpha's memory held a float). This module
/// counts with one <see cref="Scalar"/> held for the life of the process.
/// </remarks>
public sealed class HeldScalarBatchNorm2d : nn.Module<Tensor, Tensor>
{
    private const double Momentum = 0.1;
    private const double Epsilon = 1e-5;
    private static readonly Scalar One = 1L.ToScalar();

    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly Tensor running_mean;
    private readonly Tensor running_var;
    private readonly Tensor num_batches_tracked;

    public HeldScalarBatchNorm2d(long channels) : base("BatchNorm2d")
    {
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        running_mean = zeros(channels).DetachFromDisposeScope();
        running_var = ones(channels).DetachFromDisposeScope();
        num_batches_tracked = tensor(0L).DetachFromDisposeScope();
        register_parameter(nameof(weight), weight);
        register_parameter(nameof(bias), bias);
        register_buffer(nameof(running_mean), running_mean);
        register_buffer(nameof(running_var), running_var);
        register_buffer(nameof(num_batches_tracked), num_batches_tracked);
    }

    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 4) throw new ArgumentException($"Batch normalisation expects (N, C, H, W), got {input.dim()} dims.");
        if (training)
            using (no_grad())
                num_batches_tracked.add_(One, One);
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, Momentum, Epsilon);
    }
}
