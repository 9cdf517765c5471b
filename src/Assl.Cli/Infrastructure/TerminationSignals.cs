using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Assl.Cli.Infrastructure;

/// <summary>
/// Ctrl-C and SIGTERM as a request to stop: the running verb's token is cancelled and it stops at its next safe
/// point (a training step, a replayed frame), saving what it must. A second request at least a second after the
/// first ends the process at once.
/// </summary>
/// <remarks>
/// Replaces System.CommandLine's own handling, which ends the process two seconds after the first signal (in the
/// middle of a long training step) and throws when one Ctrl-C reaches the process twice: from the terminal, and
/// forwarded by <c>dotnet run</c>. Signals within a second of the first are that same request.
/// </remarks>
public sealed class TerminationSignals : IDisposable
{
    public static readonly TimeSpan SameRequest = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stop = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly TextWriter _error;
    private readonly Lock _gate = new();
    private long? _firstRequest;

    public TerminationSignals(TextWriter error, bool listen = true)
    {
        _error = error;
        if (!listen) return;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            _registrations.Add(PosixSignalRegistration.Create(signal, context => context.Cancel = Request(Stopwatch.GetTimestamp())));
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>Handles one stop request at <paramref name="timestamp"/>; false: let the signal end the process.</summary>
    public bool Request(long timestamp)
    {
        lock (_gate)
        {
            if (_firstRequest is not { } first)
            {
                _firstRequest = timestamp;
                _error.WriteLine("stopping at the next safe point (press Ctrl-C again to quit at once) …");
                _stop.Cancel();
                return true;
            }
            return Stopwatch.GetElapsedTime(first, timestamp) < SameRequest;
        }
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _stop.Dispose();
    }
}
