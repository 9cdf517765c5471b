using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Tests;

/// <summary>
/// Proves the native libtorch loads on this host (the build's GLIBCXX fix) and that a recurrent
/// network trains: a real forward and backward pass, and a loss that goes down.
/// </summary>
public sealed class TorchSharpLoadsTests
{
    [Fact]
    public void GruForwardBackwardReducesLoss()
    {
        torch.manual_seed(1);
        using var scope = torch.NewDisposeScope();
        var gru = nn.GRU(inputSize: 3, hiddenSize: 8, numLayers: 1, batchFirst: true);
        var head = nn.Linear(8, 1);
        var parameters = gru.parameters().Concat(head.parameters()).ToArray();
        var optimizer = optim.Adam(parameters, lr: 0.05);
        var x = torch.randn(4, 5, 3);
        var y = torch.randn(4, 1);

        float first = 0, last = 0;
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            var (output, _) = gru.call(x, null);
            var loss = nn.functional.mse_loss(head.call(output[.., -1, ..]), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }

        Assert.All(parameters, p => Assert.NotNull(p.grad));
        Assert.True(last < first * 0.8, $"loss should fall: {first} -> {last}");
    }
}
