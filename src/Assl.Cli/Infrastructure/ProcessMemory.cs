namespace Assl.Cli.Infrastructure;

/// <summary>This process's resident memory now and at its peak, from /proc (Linux); elsewhere the working set.</summary>
public readonly record struct ProcessMemory(double ResidentMb, double PeakMb)
{
    public static ProcessMemory Read()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            double rss = 0, peak = 0;
            foreach (var line in File.ReadLines(status))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kilobytes(line) / 1024;
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kilobytes(line) / 1024;
            }
            return new ProcessMemory(rss, peak);
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessMemory(self.WorkingSet64 / 1048576.0, self.PeakWorkingSet64 / 1048576.0);
    }

    private static double Kilobytes(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"RSS {ResidentMb:F0} MB (peak {PeakMb:F0} MB)";
}
