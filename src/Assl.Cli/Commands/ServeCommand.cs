using System.CommandLine;
using Assl.Cli.Infrastructure;
using Assl.Stream.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Assl.Cli.Commands;

/// <summary>`assl serve`: the gRPC server in this process, built exactly as `Assl.Stream` builds it, until Ctrl-C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = "Where to listen (default http://127.0.0.1:5080, HTTP/2 cleartext)." };
        var command = new Command("serve",
            "Run the recognition server until Ctrl-C. Other arguments go to the server's configuration, " +
            "e.g. --Inference:ModelPath=models/x.assl --Server:ApiKey=secret --Server:MetricsPort=0.")
        {
            urls,
        };
        // Configuration keys (--Section:Key=value) are ASP.NET's, not ours: pass them through untouched.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => Verb.Guard(() =>
        {
            var args = parse.UnmatchedTokens.ToList();
            if (parse.GetValue(urls) is { } u) args.Add("--urls=" + u);
            return RunAsync([.. args], ct);
        }));
        return command;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        // Start-up failures are reported by Verb.Guard as one line; the host would also log them with a
        // stack trace. Only its critical messages (a background service stopping the host) stay.
        await using var app = AsslServerHost.Build(args, builder =>
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical));
        await app.StartAsync(ct);
        try
        {
            await app.WaitForShutdownAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl-C: the normal way to stop a server.
        }
        await app.StopAsync(CancellationToken.None);
        return Verb.Ok;
    }
}
