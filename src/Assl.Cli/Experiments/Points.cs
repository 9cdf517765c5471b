using System.Globalization;

namespace Assl.Cli.Experiments;

/// <summary>Accuracy changes as the result pages print them: signed points, one decimal.</summary>
internal static class Points
{
    /// <summary>"+1.3", "-0.2"; a change that rounds to zero is "+0.0", never "-0.0" or "-+0.0".</summary>
    public static string Signed(double fractionChange) => (fractionChange * 100).ToString("+0.0;-0.0;+0.0", CultureInfo.InvariantCulture);
}
