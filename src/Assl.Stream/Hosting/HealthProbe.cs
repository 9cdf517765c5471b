using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Assl.Stream.Hosting;

/// <summary>
/// `Assl.Stream health-check [url]`: asks a running server's grpc.health.v1 service whether it is
/// serving and exits 0 or 1, so a container HEALTHCHECK needs no extra binary.
/// </summary>
public static class HealthProbe
{
    public const string Verb = "health-check";

    public static async Task<int> RunAsync(string url)
    {
        try
        {
            using var channel = GrpcChannel.ForAddress(url);
            var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
            Console.WriteLine($"{url}: {reply.Status}");
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? 0 : 1;
        }
        catch (Exception e) when (e is Grpc.Core.RpcException or HttpRequestException or InvalidOperationException)
        {
            Console.Error.WriteLine($"{url}: not healthy: {e.Message}");
            return 1;
        }
    }
}
