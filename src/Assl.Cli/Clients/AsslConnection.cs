using Assl.Proto.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace Assl.Cli.Clients;

/// <summary>A channel to an Assl server, with the API key (and the admin key, for admin verbs) attached to every call when given.</summary>
public sealed class AsslConnection : IDisposable
{
    public const string ApiKeyHeader = "x-api-key";
    public const string AdminKeyHeader = "x-admin-key";
    private readonly GrpcChannel _channel;

    private AsslConnection(Uri address, GrpcChannel channel, CallInvoker invoker)
    {
        Address = address;
        _channel = channel;
        Client = new ActionRecognition.ActionRecognitionClient(invoker);
        Admin = new ModelAdmin.ModelAdminClient(invoker);
    }

    public Uri Address { get; }

    public ActionRecognition.ActionRecognitionClient Client { get; }

    /// <summary>The ModelAdmin service; its calls succeed only when the connection was opened with the admin key.</summary>
    public ModelAdmin.ModelAdminClient Admin { get; }

    /// <param name="adminKey">Sent only by admin verbs, so the admin key never travels with camera traffic.</param>
    public static AsslConnection Open(string server, string? apiKey, string? adminKey = null)
    {
        if (!Uri.TryCreate(server, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new ArgumentException($"--server must be an http:// or https:// URL, got '{server}'.");
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Many camera streams on one connection would hit the server's per-connection stream limit.
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(5),
            },
        });
        CallInvoker invoker = channel.CreateCallInvoker();
        if (!string.IsNullOrEmpty(apiKey))
            invoker = invoker.Intercept(headers =>
            {
                headers.Add(ApiKeyHeader, apiKey);
                return headers;
            });
        if (!string.IsNullOrEmpty(adminKey))
            invoker = invoker.Intercept(headers =>
            {
                headers.Add(AdminKeyHeader, adminKey);
                return headers;
            });
        return new AsslConnection(address, channel, invoker);
    }

    /// <summary>Asks which model is served: checks reachability and the API key before streaming starts.</summary>
    public async Task<ModelDescription> DescribeAsync(CancellationToken ct) =>
        await Client.GetModelAsync(new GetModelRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: ct);

    public void Dispose() => _channel.Dispose();
}
