using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;
using Assl.Proto.V1;
using Grpc.Core;

namespace Assl.Cli.Commands;

/// <summary>`assl watch`: subscribes to a server's events and shows them live.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var server = ClientOptions.Server();
        var apiKey = ClientOptions.ApiKey();
        var cameras = new Option<string[]>("--camera") { Description = "Only these cameras (repeatable); default all.", AllowMultipleArgumentsPerToken = true };
        var lines = new Option<bool>("--lines") { Description = "One line per event even in a terminal (the default when output is redirected)." };
        var command = new Command("watch", "Print a server's action events live: a table of each body's current action in a terminal, one line per event otherwise.")
        {
            server, apiKey, cameras, lines,
        };
        command.SetAction((parse, ct) => Verb.Guard(() =>
            RunAsync(parse.GetValue(server)!, parse.GetValue(apiKey), parse.GetValue(cameras) ?? [],
                table: !parse.GetValue(lines) && !Console.IsOutputRedirected, Console.Out, ct)));
        return command;
    }

    public static async Task<int> RunAsync(string server, string? apiKey, IReadOnlyList<string> cameras, bool table, TextWriter output, CancellationToken ct)
    {
        using var connection = AsslConnection.Open(server, apiKey);
        var model = await connection.DescribeAsync(ct);
        output.WriteLine($"{connection.Address}: model {model.Version}; watching {(cameras.Count == 0 ? "all cameras" : string.Join(", ", cameras))} (Ctrl-C to stop)");
        var request = new SubscribeRequest();
        request.CameraIds.AddRange(cameras);
        using var call = connection.Client.Subscribe(request, cancellationToken: ct);
        var live = new LiveActionTable(output, keepEnded: TimeSpan.FromSeconds(10));
        int events = 0;
        try
        {
            if (table) live.Draw(DateTime.UtcNow);
            // A redraw at least every second keeps the "for" column moving while no event arrives.
            var next = call.ResponseStream.MoveNext(ct);
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (table && await Task.WhenAny(next, Task.Delay(1000, ct)) != next)
                {
                    live.Draw(DateTime.UtcNow);
                    continue;
                }
                if (!await next) break;
                var e = call.ResponseStream.Current;
                events++;
                if (table)
                {
                    live.Update(e, DateTime.UtcNow);
                    live.Draw(DateTime.UtcNow);
                }
                else output.WriteLine(ReplayReport.FormatEvent(e, null));
                next = call.ResponseStream.MoveNext(ct);
            }
            output.WriteLine("The server closed the subscription.");
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
        {
            // Ctrl-C is how watching ends.
        }
        output.WriteLine($"{events} event(s) received.");
        return Verb.Ok;
    }
}
