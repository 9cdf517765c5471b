using Assl.Stream.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Assl.Stream.Extensions;

public static class HostingExtensions
{
    public static IHostApplicationBuilder AddAsslStreaming(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGrpc();
        // gRPC without TLS needs HTTP/2 prior knowledge, so cleartext endpoints speak HTTP/2 only.
        builder.Services.Configure<KestrelServerOptions>(o =>
            o.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        return builder;
    }

    public static WebApplication MapAsslEndpoints(this WebApplication app)
    {
        app.MapGrpcService<ModelInfoService>();
        return app;
    }
}
