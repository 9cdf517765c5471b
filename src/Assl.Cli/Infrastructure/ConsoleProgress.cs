using Assl.Model.Datasets;

namespace Assl.Cli.Infrastructure;

/// <summary>
/// Loading progress on one self-overwriting line in a terminal; in a log (redirected output) it
/// prints at every quarter instead, so logs stay readable.
/// </summary>
public sealed class ConsoleProgress(string label, TextWriter output) : IProgress<DatasetLoadProgress>
{
    private readonly object _gate = new();
    private int _lastQuarter = -1;

    public void Report(DatasetLoadProgress value)
    {
        lock (_gate)
        {
            if (!Console.IsOutputRedirected && ReferenceEquals(output, Console.Out))
            {
                output.Write($"\r{label} {value.Done}/{value.Total}");
                if (value.Done == value.Total) output.WriteLine();
                return;
            }
            int quarter = value.Total == 0 ? 4 : value.Done * 4 / value.Total;
            if (quarter > _lastQuarter)
            {
                _lastQuarter = quarter;
                output.WriteLine($"{label} {value.Done}/{value.Total}");
            }
        }
    }
}
