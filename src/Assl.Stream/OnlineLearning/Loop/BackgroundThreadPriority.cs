using System.Runtime.InteropServices;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// Lowers the scheduling priority of the calling thread only, so that fine-tuning takes the cores that
/// serving leaves idle instead of sharing them equally with it.
/// </summary>
/// <remarks>
/// On Linux each thread has its own nice value (setpriority on the thread id), which is what makes this
/// per-thread; an unprivileged process can raise it but never lower it again, so call it only on a thread
/// that ends with the work (the loop's long-running task has one of its own). With one libtorch thread the
/// forward and backward passes run on the calling thread, so the whole training step inherits the value.
/// Elsewhere the managed thread priority is the nearest equivalent.
/// </remarks>
public static class BackgroundThreadPriority
{
    private const int PrioProcess = 0;

    /// <summary>Sets the calling thread's nice value (0–19; 0 leaves it alone).</summary>
    /// <returns>Null when applied, otherwise why not (the caller logs it and trains at normal priority).</returns>
    public static string? LowerCurrentThread(int nice)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(nice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, 19);
        if (nice == 0) return null;
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = nice >= 10 ? ThreadPriority.Lowest : ThreadPriority.BelowNormal;
            return null;
        }
        try
        {
            if (setpriority(PrioProcess, gettid(), nice) == 0) return null;
            return $"setpriority failed (errno {Marshal.GetLastPInvokeError()})";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return e.Message;
        }
    }

    /// <summary>The calling thread's nice value on Linux (from /proc), null elsewhere.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        // Field 19 of /proc/thread-self/stat; the command name (field 2) may hold spaces, so count from its closing parenthesis.
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setpriority(int which, int who, int prio);

    [DllImport("libc")]
    private static extern int gettid();
}
