using System.Net;
using Assl.Stream.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Cli.Clients;

/// <summary>
/// The real server (same composition as `assl serve`) on 127.0.0.1 and a free port, HTTP/2 cleartext,
/// quiet unless something goes wrong: for `assl demo` and for tests.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InProcessServer(WebApplication app, string address)
    {
        _app = app;
        Address = address;
    }

    public string Address { get; }

    /// <summary>The server's services, for experiments that watch it from inside (e.g. the online loop's status).</summary>
    public IServiceProvider Services => _app.Services;

    public static Task<InProcessServer> StartAsync(string modelPath, CancellationToken ct, params string[] extraArgs) =>
        StartAsync(modelPath, configure: null, ct, extraArgs);

    /// <param name="configure">Runs after the server's own registrations, so it can add or replace services (tests add fakes).</param>
    public static async Task<InProcessServer> StartAsync(string modelPath, Action<WebApplicationBuilder>? configure, CancellationToken ct,
        params string[] extraArgs)
    {
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"Model not found: {modelPath}", modelPath);
        var app = AsslServerHost.Build(
        [
            "--Inference:ModelPath=" + Path.GetFullPath(modelPath),
            "--Server:MetricsPort=0",
            "--Logging:LogLevel:Default=Warning",
            // The loopback listener below replaces the configured URL on purpose; Kestrel would warn about it.
            "--Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel=Error",
            .. extraArgs,
        ], builder =>
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            configure?.Invoke(builder);
        });
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new InProcessServer(app, address);
    }

    /// <summary>The shipped model: beside the binary (copied at build), else in the repository's models folder.</summary>
    public static string ShippedModel()
    {
        const string file = "nucla-default.assl";
        var beside = Path.Combine(AppContext.BaseDirectory, "models", file);
        return File.Exists(beside) ? beside : Path.Combine(Infrastructure.DataLocator.RepositoryRoot(), "models", file);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
