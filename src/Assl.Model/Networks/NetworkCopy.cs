using Assl.Model.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Networks;

/// <summary>Independent copies of a network's weights, so training a candidate never touches the one being served.</summary>
public static class NetworkCopy
{
    /// <summary>A new network with the same configuration and a copy of every parameter and buffer, on <paramref name="device"/>.</summary>
    public static AsslNetwork Clone(AsslNetwork source, Device device)
    {
        var copy = new AsslNetwork(source.Config).to(device);
        CopyInto(source, copy);
        return copy;
    }

    /// <summary>Overwrites <paramref name="target"/>'s weights with <paramref name="source"/>'s (same configuration).</summary>
    public static void CopyInto(AsslNetwork source, AsslNetwork target)
    {
        using var _ = no_grad();
        var from = source.state_dict();
        foreach (var (name, tensor) in target.state_dict())
        {
            if (!from.TryGetValue(name, out var value))
                throw new ArgumentException($"The source network has no '{name}': the two configurations differ.");
            tensor.copy_(value);
        }
    }

    /// <summary>
    /// Moves <paramref name="teacher"/> towards <paramref name="student"/>: t = decay·t + (1 − decay)·s for
    /// every floating-point parameter and buffer (an exponential moving average of the student's weights).
    /// </summary>
    public static void UpdateEma(AsslNetwork teacher, AsslNetwork student, double decay)
    {
        using var _ = no_grad();
        var from = student.state_dict();
        foreach (var (name, tensor) in teacher.state_dict())
        {
            var value = from[name];
            if (tensor.is_floating_point()) tensor.LerpInPlace(value, decay);
            else tensor.copy_(value);
        }
    }
}
