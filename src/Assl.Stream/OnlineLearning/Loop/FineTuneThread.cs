using System.Collections.Concurrent;

namespace Assl.Stream.OnlineLearning.Loop;

/// <summary>
/// The one thread that every fine-tuning run of a loop trains on, one run at a time, named <see cref="Name"/> so that the
/// server can export its CPU time (<c>assl_finetune_cpu_seconds_total</c>).
/// </summary>
/// <remarks>
/// It lives as long as the loop. A thread per run took the CPU it had used since the last scrape with it when it ended,
/// and each run started a new team of libtorch helper threads.
/// </remarks>
internal sealed class FineTuneThread : IDisposable
{
    /// <summary>The thread's name; libtorch's helper threads inherit it (Linux names a new thread after its creator).</summary>
    public const string Name = "assl-finetune";

    private readonly BlockingCollection<(Action Work, TaskCompletionSource Done)> _runs = [];
    private readonly Thread _thread;
    private int _disposed;

    public FineTuneThread()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = Name };
        _thread.Start();
    }

    /// <summary>Runs <paramref name="work"/> on the thread, after any run queued before it; completes as it does.</summary>
    public Task RunAsync(Action work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _runs.Add((work, done));
        return done.Task;
    }

    private void Loop()
    {
        foreach (var (work, done) in _runs.GetConsumingEnumerable())
        {
            try
            {
                work();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }

    /// <summary>Lets a run in progress finish (the loop cancels it first), then ends the thread. Once; later calls do nothing.</summary>
    public void Dispose()
    {
        // The host may dispose the loop twice (it is registered as a hosted service and as its control interface).
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _runs.CompleteAdding();
        // A background thread: if a run ignores its cancellation, the process may still exit.
        if (_thread.Join(TimeSpan.FromSeconds(30))) _runs.Dispose();
    }
}
