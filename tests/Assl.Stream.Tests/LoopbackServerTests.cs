using System.Net;
using Assl.Proto.V1;
using Assl.Stream.Extensions;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Features;

namespace Assl.Stream.Tests;

/// <summary>Starts the real host on Kestrel, loopback, an ephemeral port, and calls it over HTTP/2.</summary>
public sealed class LoopbackServerTests
{
    [Fact]
    public async Task HostStartsAndAnswersGetModel()
    {
        await using var app = AsslServerHost.Build([], builder =>
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2)));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await app.StartAsync(timeout.Token);
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();

        using var channel = GrpcChannel.ForAddress(address);
        var client = new ActionRecognition.ActionRecognitionClient(channel);
        var model = await client.GetModelAsync(new GetModelRequest(), cancellationToken: timeout.Token);

        Assert.Equal(50, model.WindowFrames);
        Assert.StartsWith("http://127.0.0.1:", address);
        await app.StopAsync(timeout.Token);
    }
}
