using Assl.Model.Networks;
using Assl.Model.Tensors;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Tensors;

public sealed class NnpackTests
{
    [Fact]
    public void AGraphEncoderLeavesNnpackOnOnlyWhereItStarted()
    {
        using var net = new AsslNetwork(new AsslNetworkConfig(60, 5, new EncoderConfig("gcn", 16, 2), TranslationDim: 12,
            DecoderHidden: 16, WeightingHidden: 8, DiscriminatorHidden: 8));
        bool? switchedOff = Nnpack.TurnOffWhereUnavailable();
        if (OperatingSystem.IsLinux())
        {
            // Null would mean the libtorch functions were not found, and a server on hardware NNPACK does not know
            // would log a warning per inference pass again.
            Assert.NotNull(switchedOff);
            Assert.Equal(!switchedOff, Nnpack.Enabled);
        }

        // Passes of 16 windows or more are the ones libtorch offers to NNPACK; they still run either way.
        net.eval();
        using var mode = inference_mode();
        using var logits = net.forward(randn(20, 10, 60));
        Assert.Equal([20L, 5], logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }
}
