using System.Globalization;

namespace Assl.Stream.Observability;

/// <summary>
/// CPU time spent by this process's threads whose name starts with a prefix, read from <c>/proc/self/task</c>
/// (Linux; elsewhere <see cref="IsSupported"/> is false). With the process total it tells how a server's cores
/// split between the model and everything else (gRPC, windowing, events), which no process-level figure can.
/// </summary>
/// <remarks>
/// Linux threads inherit their creator's name, so the OpenMP helpers a multi-threaded pass starts count with
/// the inference thread that started them. A thread that ended keeps the time it was last seen with, so the
/// total never goes back; threads are told apart by id and start time, since the kernel reuses ids.
/// </remarks>
public sealed class NamedThreadsCpuTime(string namePrefix, string taskDirectory = NamedThreadsCpuTime.OwnTasks)
{
    public const string OwnTasks = "/proc/self/task";

    /// <summary>/proc reports times in USER_HZ, which Linux fixes at 100 per second for user space on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly Dictionary<(string Tid, long StartTicks), double> _seen = [];
    private readonly Lock _gate = new();

    public static bool IsSupported => Directory.Exists(OwnTasks);

    public string NamePrefix { get; } = namePrefix;

    /// <summary>Seconds of CPU (user and system) that every matching thread seen so far has used.</summary>
    public double TotalSeconds()
    {
        lock (_gate)
        {
            foreach (var task in Directory.EnumerateDirectories(taskDirectory))
            {
                if (Read(task) is not { } thread) continue; // the thread ended between listing and reading
                if (!thread.Name.StartsWith(NamePrefix, StringComparison.Ordinal)) continue;
                _seen[(Path.GetFileName(task), thread.StartTicks)] = thread.CpuSeconds;
            }
            return _seen.Values.Sum();
        }
    }

    private static (string Name, long StartTicks, double CpuSeconds)? Read(string task)
    {
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(stat);
    }

    /// <summary>
    /// Fields of one <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c> line: the name sits in parentheses and may hold spaces
    /// and parentheses itself, so fields are counted from the last ')'; utime, stime and starttime are fields 14, 15 and 22.
    /// </summary>
    internal static (string Name, long StartTicks, double CpuSeconds)? Parse(string stat)
    {
        int open = stat.IndexOf('('), close = stat.LastIndexOf(')');
        if (open < 0 || close < open) return null;
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state).
        if (fields.Length < 20
            || !long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out long user)
            || !long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out long system)
            || !long.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out long start))
            return null;
        return (stat[(open + 1)..close], start, (user + system) / TicksPerSecond);
    }
}
