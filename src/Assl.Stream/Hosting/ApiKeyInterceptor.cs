using System.Security.Cryptography;
using System.Text;
using Assl.Proto.V1;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace Assl.Stream.Hosting;

/// <summary>
/// Access control for every call. Calls of the ModelAdmin service always need the admin key (x-admin-key) and are refused
/// outright when none is configured; every other call needs the API key (x-api-key) when one is configured.
/// </summary>
public sealed class ApiKeyInterceptor(IOptions<ServerOptions> options) : Interceptor
{
    public const string Header = "x-api-key";
    public const string AdminHeader = "x-admin-key";

    /// <summary>The path prefix of every ModelAdmin method ("/assl.v1.ModelAdmin/").</summary>
    public static readonly string AdminMethodPrefix = $"/{ModelAdmin.Descriptor.FullName}/";

    private readonly byte[]? _key = Digest(options.Value.ApiKey);
    private readonly byte[]? _adminKey = Digest(options.Value.AdminApiKey);

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context);
        return continuation(requestStream, responseStream, context);
    }

    private void Check(ServerCallContext context)
    {
        // Admin calls are judged on the admin key alone: the ingest key, shared with every camera, grants nothing here.
        if (context.Method.StartsWith(AdminMethodPrefix, StringComparison.Ordinal))
        {
            if (_adminKey is null)
                throw new RpcException(new Status(StatusCode.PermissionDenied,
                    "Admin calls are disabled on this server: set Server:AdminApiKey (e.g. ASSL_Server__AdminApiKey) to enable them."));
            if (!Matches(context.RequestHeaders.GetValue(AdminHeader), _adminKey))
                throw new RpcException(new Status(StatusCode.Unauthenticated, $"Missing or wrong admin key: send it in the '{AdminHeader}' header."));
            return;
        }

        // Health checks stay open so orchestrators can probe a keyed server.
        if (_key is null || context.Method.StartsWith("/grpc.health.v1.", StringComparison.Ordinal)) return;
        if (!Matches(context.RequestHeaders.GetValue(Header), _key))
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"Missing or wrong API key: send it in the '{Header}' header."));
    }

    // Keys are compared as SHA-256 digests: equal lengths, so the comparison time tells nothing, not even the key's length.
    private static byte[]? Digest(string? key) => string.IsNullOrEmpty(key) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static bool Matches(string? presented, byte[] expectedDigest) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expectedDigest);
}
