using static TorchSharp.torch;

namespace Assl.Model.Tensors;

/// <summary>
/// Frees an activation as soon as the next one exists, instead of when the forward pass's dispose scope ends.
/// </summary>
/// <remarks>
/// Under inference mode nothing else holds an activation, so a dispose scope that keeps every intermediate until the
/// pass ends makes the pass's peak memory the sum of all of them. With glibc keeping its heap's high-water mark
/// (<see cref="NativeAllocator"/>), that peak is what the process then holds. In training, autograd keeps what the
/// backward pass needs by itself, so freeing the handle early changes nothing there.
/// </remarks>
public static class EagerRelease
{
    /// <summary>
    /// <paramref name="next"/> applied to <paramref name="input"/>, which is then freed; unless the step returned its
    /// input unchanged (dropout in eval mode does).
    /// </summary>
    public static Tensor ThenFree(this Tensor input, Func<Tensor, Tensor> next)
    {
        var output = next(input);
        if (!ReferenceEquals(output, input)) input.Dispose();
        return output;
    }
}
