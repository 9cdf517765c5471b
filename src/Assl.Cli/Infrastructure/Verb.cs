using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Assl.Cli.Infrastructure;

/// <summary>Shared plumbing for verbs: clean error reporting with exit codes.</summary>
public static class Verb
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int ServerError = 3;

    /// <summary>Runs a verb and turns expected failures into one clear line on stderr, not a stack trace.</summary>
    /// <param name="error">Where that line goes; default stderr (verbs pass their invocation's error writer, so tests need not swap the console's).</param>
    public static async Task<int> Guard(Func<Task<int>> verb, TextWriter? error = null)
    {
        error ??= Console.Error;
        try
        {
            return await verb();
        }
        catch (OperationCanceledException)
        {
            await error.WriteLineAsync("Stopped.");
            return 130;
        }
        catch (RpcException e)
        {
            await error.WriteLineAsync($"error: {Describe(e)}");
            return ServerError;
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ServerError;
        }
        catch (OptionsValidationException e)
        {
            await error.WriteLineAsync($"error: bad server configuration: {string.Join(" ", e.Failures)}");
            return BadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException
                                      or Assl.Model.Readers.SkeletonFormatException or Assl.Model.Checkpoints.CheckpointException
                                      or InvalidOperationException or NotSupportedException or FormatException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return BadInput;
        }
    }

    public static int Guard(Func<int> verb) => Guard(() => Task.FromResult(verb())).GetAwaiter().GetResult();

    /// <summary>A gRPC failure as one line: the status, the server's detail and what to check.</summary>
    public static string Describe(RpcException e)
    {
        var cause = e.Status.DebugException is { } debug ? $" ({Innermost(debug).Message})" : "";
        var hint = e.StatusCode switch
        {
            StatusCode.Unavailable => " - is the server running at that address? (start one with `assl serve`)",
            // The server names the header it wanted, which tells an admin key from an ingest key.
            StatusCode.Unauthenticated when e.Status.Detail.Contains(Clients.AsslConnection.AdminKeyHeader, StringComparison.Ordinal) =>
                " - pass the server's admin key with --admin-key (or $ASSL_ADMIN_KEY)",
            StatusCode.Unauthenticated => " - pass the server's key with --api-key",
            StatusCode.DeadlineExceeded => " - the server did not answer in time",
            _ => "",
        };
        return $"server call failed: {e.StatusCode}: {e.Status.Detail}{cause}{hint}";
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
