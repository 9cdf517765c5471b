using System.Globalization;
using System.Text;

namespace Assl.Model.Tests.Readers;

/// <summary>
/// Writes NTU RGB+D .skeleton text. Body b's joint j in frame t sits at (t, j, b) so every value says
/// where it came from; trackingState is j % 3.
/// </summary>
internal static class NtuFileBuilder
{
    public static string Build(params ulong[][] bodiesPerFrame)
    {
        var sb = new StringBuilder().Append(bodiesPerFrame.Length).Append('\n');
        for (int t = 0; t < bodiesPerFrame.Length; t++)
        {
            sb.Append(bodiesPerFrame[t].Length).Append('\n');
            foreach (ulong id in bodiesPerFrame[t])
            {
                sb.Append(CultureInfo.InvariantCulture, $"{id} 0 1 1 1 1 0 0.02764709 0.05745083 2\n");
                sb.Append("25\n");
                for (int j = 0; j < 25; j++)
                    sb.Append(CultureInfo.InvariantCulture,
                        $"{t} {j} {id % 1000} 277.419 191.8218 1036.233 519.1677 -0.2059419 0.05349901 0.9692109 -0.1239193 {j % 3}\n");
            }
        }
        return sb.ToString();
    }
}
