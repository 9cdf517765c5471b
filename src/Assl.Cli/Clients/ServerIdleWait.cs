using System.Diagnostics;

namespace Assl.Cli.Clients;

/// <summary>
/// Waits, before a load-test step, until the server has finished what earlier steps left behind: no window
/// queued for inference and no window inferred between two scrapes. An overloaded saturation step leaves up to
/// a queue's worth of windows behind (2 048 by default, seconds of work), and a step started on top of them
/// would count that backlog's delay and CPU as its own.
/// </summary>
public static class ServerIdleWait
{
    /// <summary>How long a server may stay busy before the step is measured anyway (with a note).</summary>
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    /// <returns>True once the server was idle; false when it was still busy at <paramref name="limit"/> or its metrics could not be read.</returns>
    public static async Task<bool> WaitAsync(PrometheusScraper metrics, TextWriter output, TimeSpan limit, TimeSpan poll, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        double? previousInferred = null;
        bool announced = false;
        while (true)
        {
            var snapshot = await metrics.TryScrapeAsync(ct);
            if (snapshot is null) return false;
            double queued = snapshot.Sum("assl_inference_queue_windows");
            double inferred = snapshot.Sum("assl_windows_inferred_total");
            // A server without the gauge (older builds) is judged by its counter alone.
            bool queueEmpty = double.IsNaN(queued) || queued == 0;
            if (queueEmpty && previousInferred is { } p && (p == inferred || double.IsNaN(inferred))) return true;
            if (clock.Elapsed >= limit)
            {
                output.WriteLine($"  note: the server was still busy after {limit.TotalSeconds:0} s ({queued:0} windows queued); measuring anyway.");
                return false;
            }
            if (!announced && queued > 0)
            {
                output.WriteLine($"  waiting for the server to clear {queued:0} windows left queued …");
                announced = true;
            }
            previousInferred = inferred;
            await Task.Delay(poll, ct);
        }
    }
}
