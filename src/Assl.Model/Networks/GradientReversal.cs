using Assl.Model.Tensors;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>
/// Identity on the way forward, −λ × gradient on the way back: the encoder learns to fool the
/// discriminator in the same backward pass that trains the discriminator (Ganin and Lempitsky, 2015).
/// </summary>
public sealed class GradientReversal : autograd.SingleTensorFunction<GradientReversal>
{
    private const string LambdaKey = "lambda";

    public override string Name => nameof(GradientReversal);

    public static Tensor Apply(Tensor x, double lambda = 1.0) => apply(x, lambda);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        ctx.save_data(LambdaKey, (double)vars[1]);
        return ((Tensor)vars[0]).alias();
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        double lambda = (double)ctx.get_data(LambdaKey);
        return [gradOutput.neg().Times(lambda), null!];
    }
}
