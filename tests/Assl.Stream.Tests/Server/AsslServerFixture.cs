using System.Net;
using System.Text;
using Assl.Proto.V1;
using Assl.Stream.Extensions;
using Assl.Tests;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Assl.Stream.Tests.Server;

/// <summary>
/// The real server (same composition as `dotnet run`), with the shipped model, on Kestrel at
/// 127.0.0.1 and an ephemeral port, HTTP/2 cleartext. Start-up logs are kept and printed if it fails.
/// </summary>
public sealed class AsslServerFixture : IAsyncLifetime
{
    private readonly StringBuilder _logs = new();

    public WebApplication App { get; private set; } = null!;
    public string Address { get; private set; } = "";
    public GrpcChannel Channel { get; private set; } = null!;
    public ActionRecognition.ActionRecognitionClient Client { get; private set; } = null!;

    public static string ShippedModel => RealData.ShippedModel;

    public static WebApplication BuildServer(StringBuilder logs, params string[] extraArgs) => BuildServer(logs, _ => { }, extraArgs);

    /// <summary>The loopback address a started server listens on (its port is picked by the system).</summary>
    public static string AddressOf(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

    /// <param name="configure">Runs after the server's own registrations, so it can add or replace services (e.g. a fake).</param>
    public static WebApplication BuildServer(StringBuilder logs, Action<WebApplicationBuilder> configure, params string[] extraArgs) =>
        AsslServerHost.Build(["--Inference:ModelPath=" + ShippedModel, "--Server:MetricsPort=0",
            "--Store:Path=" + Path.Combine(Path.GetTempPath(), $"assl-test-{Guid.NewGuid():N}.db"),
            "--OnlineLearning:ModelsDirectory=" + Path.Combine(Path.GetTempPath(), $"assl-test-models-{Guid.NewGuid():N}"), .. extraArgs], builder =>
        {
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(new StringLoggerProvider(logs));
            configure(builder);
        });

    public async Task InitializeAsync()
    {
        // The gate matches the test data's selection: every window of a "confident" sequence scores at least 0.8.
        App = BuildServer(_logs, "--PseudoLabels:Threshold=0.8", "--PseudoLabels:ConsecutiveWindows=2");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await App.StartAsync(timeout.Token);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"The server did not start: {e.Message}\nLogs:\n{_logs}", e);
        }
        Address = AddressOf(App);
        Channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions { MaxSendMessageSize = 64 * 1024 * 1024 });
        Client = new ActionRecognition.ActionRecognitionClient(Channel);
    }

    public string Logs
    {
        get
        {
            lock (_logs) return _logs.ToString();
        }
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>Collects log lines in memory so a failing test can show what the server said.</summary>
internal sealed class StringLoggerProvider(StringBuilder sink) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(sink, categoryName);

    public void Dispose() { }

    private sealed class Logger(StringBuilder sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (sink) sink.AppendLine($"{logLevel} {category}: {formatter(state, exception)} {exception?.Message}");
        }
    }
}
