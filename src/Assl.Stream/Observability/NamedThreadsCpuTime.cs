using System.Globalization;

namespace Assl.Stream.Observability;

/// <summary>
/// CPU time spent by this process's threads whose name starts with one of a few prefixes, read from <c>/proc/self/task</c>
/// (Linux; elsewhere <see cref="IsSupported"/> is false). With the process total it tells how a server's cores
/// split between the model, fine-tuning and everything else (gRPC, windowing, events), which no process-level figure can.
/// </summary>
/// <remarks>
/// Linux threads inherit their creator's name, so the OpenMP helpers a multi-threaded pass starts count with
/// the thread that started them. A thread that ended keeps the time it was last seen with, so a total never goes
/// back; threads are told apart by id and start time, since the kernel reuses ids. One pass over the tasks serves
/// every prefix, so a scrape reads each thread's stat once however many series it brings up to date.
/// </remarks>
public sealed class NamedThreadsCpuTime(IReadOnlyList<string> namePrefixes, string taskDirectory = NamedThreadsCpuTime.OwnTasks)
{
    public const string OwnTasks = "/proc/self/task";

    /// <summary>/proc reports times in USER_HZ, which Linux fixes at 100 per second for user space on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    private readonly Dictionary<(string Tid, long StartTicks), (string Prefix, double Seconds)> _seen = [];
    private readonly Lock _gate = new();

    public NamedThreadsCpuTime(string namePrefix, string taskDirectory = OwnTasks) : this([namePrefix], taskDirectory)
    {
    }

    public static bool IsSupported => Directory.Exists(OwnTasks);

    public IReadOnlyList<string> NamePrefixes { get; } = namePrefixes;

    /// <summary>Seconds of CPU (user and system) that every matching thread seen so far has used, all prefixes together.</summary>
    public double TotalSeconds() => SecondsByPrefix().Values.Sum();

    /// <summary>Seconds of CPU (user and system) that the threads seen so far have used, by the prefix their name starts with (every prefix present).</summary>
    public IReadOnlyDictionary<string, double> SecondsByPrefix()
    {
        lock (_gate)
        {
            foreach (var task in Directory.EnumerateDirectories(taskDirectory))
            {
                if (Read(task) is not { } thread) continue; // the thread ended between listing and reading
                if (NamePrefixes.FirstOrDefault(prefix => thread.Name.StartsWith(prefix, StringComparison.Ordinal)) is not { } matched) continue;
                _seen[(Path.GetFileName(task), thread.StartTicks)] = (matched, thread.CpuSeconds);
            }
            var totals = NamePrefixes.Distinct().ToDictionary(prefix => prefix, _ => 0.0);
            foreach (var (prefix, seconds) in _seen.Values) totals[prefix] += seconds;
            return totals;
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
