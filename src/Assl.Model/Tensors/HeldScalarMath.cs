using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tensors;

/// <summary>
/// Tensor-and-number arithmetic for code that runs on every training step: each number becomes a
/// <see cref="Scalar"/> that this method holds until libtorch has returned, then frees.
/// </summary>
/// <remarks>
/// Why: in TorchSharp 0.107, <c>t.mul(0.5)</c> or <c>t / 2</c> converts the number to a temporary
/// <see cref="Scalar"/> and passes only its native handle on; nothing keeps the temporary alive during the native
/// call, and its finalizer frees the native value, so a garbage collection at that moment (any thread's allocation
/// can start one) lets libtorch read freed memory. That killed a training run inside batch normalisation (README,
/// TorchSharp section). The operations are the same libtorch calls with the same number, so results are unchanged
/// to the bit. Tensor + tensor makes one too (an alpha of 1): a graph encoder's forward pass adds with Plus.
/// </remarks>
public static class HeldScalarMath
{
    /// <summary><paramref name="tensor"/> × <paramref name="factor"/>.</summary>
    public static Tensor Times(this Tensor tensor, double factor) => Held(factor.ToScalar(), tensor.mul);

    /// <summary><paramref name="tensor"/> ÷ <paramref name="divisor"/>.</summary>
    public static Tensor DividedBy(this Tensor tensor, double divisor) => Held(divisor.ToScalar(), s => tensor.div(s));

    /// <summary><paramref name="tensor"/> ÷ an integer <paramref name="divisor"/> (a count, such as a batch size).</summary>
    public static Tensor DividedBy(this Tensor tensor, long divisor) => Held(divisor.ToScalar(), s => tensor.div(s));

    /// <summary><paramref name="tensor"/> + an integer <paramref name="value"/>.</summary>
    /// <remarks>TorchSharp's <c>add(Scalar)</c> passes a temporary alpha of 1 as well: both are held (a run crashed there).</remarks>
    public static Tensor Plus(this Tensor tensor, long value) =>
        Held(value.ToScalar(), s => Held(1.ToScalar(), one => tensor.add(s, one)));

    /// <summary><paramref name="tensor"/> + <paramref name="other"/>: TorchSharp's <c>+</c> passes a temporary alpha of 1.</summary>
    public static Tensor Plus(this Tensor tensor, Tensor other) => Held(1.ToScalar(), one => tensor.add(other, one));

    /// <summary>A boolean tensor: true where <paramref name="tensor"/> ≥ <paramref name="threshold"/>.</summary>
    public static Tensor AtLeast(this Tensor tensor, double threshold) => Held(threshold.ToScalar(), tensor.ge);

    /// <summary><paramref name="tensor"/> with every value below <paramref name="minimum"/> raised to it.</summary>
    public static Tensor ClampMin(this Tensor tensor, long minimum) => Held(minimum.ToScalar(), tensor.clamp_min);

    /// <summary><paramref name="tensor"/> limited to [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    public static Tensor Clamp(this Tensor tensor, long minimum, long maximum) =>
        Held(minimum.ToScalar(), low => Held(maximum.ToScalar(), high => tensor.clamp(low, high)));

    /// <summary>In place: <paramref name="tensor"/> ← <paramref name="tensor"/> × <paramref name="decay"/> + <paramref name="value"/> × (1 − <paramref name="decay"/>).</summary>
    public static Tensor LerpInPlace(this Tensor tensor, Tensor value, double decay) =>
        Held(decay.ToScalar(), keep => Held((1 - decay).ToScalar(), take => tensor.mul_(keep).add_(value, alpha: take)));

    /// <summary>In place: every value of <paramref name="tensor"/> set to <paramref name="value"/>.</summary>
    public static Tensor FillInPlace(this Tensor tensor, double value) => Held(value.ToScalar(), tensor.fill_);

    /// <summary>A tensor of <paramref name="shape"/> filled with <paramref name="value"/>.</summary>
    public static Tensor Filled(long[] shape, float value, ScalarType dtype, Device device) =>
        Held(value.ToScalar(), scalar => full(shape, scalar, dtype: dtype, device: device));

    // The scalar stays reachable (and undisposed) until the operation has returned.
    private static Tensor Held(Scalar scalar, Func<Scalar, Tensor> operation)
    {
        using (scalar) return operation(scalar);
    }
}
