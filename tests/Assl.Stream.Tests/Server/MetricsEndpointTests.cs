using System.Text;
using Assl.Proto.V1;
using Assl.Tests;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Stream.Tests.Server;

[Collection("Server")]
public sealed class MetricsEndpointTests
{
    /// <summary>The metric server's listener starts in the background, a moment after the host reports started.</summary>
    internal static async Task<string> GetWhenListeningAsync(HttpClient http, string url)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await http.GetStringAsync(url);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(100);
            }
        }
    }

    [Fact]
    public async Task MetricsAreServedOnTheirOwnPortWithoutPerBodyLabels()
    {
        int port = LoopbackPort.Free();
        var app = AsslServerFixture.BuildServer(new StringBuilder(), $"--Server:MetricsPort={port}");
        await app.StartAsync();
        try
        {
            var address = AsslServerFixture.AddressOf(app);
            using var channel = GrpcChannel.ForAddress(address);
            var client = new ActionRecognition.ActionRecognitionClient(channel);
            using (var call = client.Ingest())
            {
                var body = new Body { TrackingId = 42, Layout = JointLayout.KinectV120, Positions = { new float[59] } };
                await call.RequestStream.WriteAsync(new SkeletonFrame { CameraId = "cam-m", TimestampUs = 1, Bodies = { body } });
                await call.RequestStream.CompleteAsync();
                while (await call.ResponseStream.MoveNext(CancellationToken.None)) { }
            }

            using var http = new HttpClient();
            var text = await GetWhenListeningAsync(http, $"http://127.0.0.1:{port}/metrics");
            Assert.Contains("assl_frames_received_total", text);
            Assert.Contains("assl_frames_rejected_total{reason=\"WrongJointCount\"}", text);
            Assert.Contains("assl_inference_duration_seconds_bucket", text);
            Assert.Contains("assl_model_info{model_version=\"nucla-", text);
            Assert.DoesNotContain("cam-m", text);
            // The model's share of the CPU, where the platform can tell (the inference threads exist from start-up).
            if (Assl.Stream.Observability.NamedThreadsCpuTime.IsSupported)
                Assert.Matches(@"(?m)^assl_inference_cpu_seconds_total \d", text);
            else
                Assert.DoesNotContain("assl_inference_cpu_seconds_total ", text);
            // .NET's meters are republished, except Kestrel's per-buffer memory pool and the runtime's private ones.
            Assert.Contains("system_runtime_", text);
            Assert.DoesNotContain("memory_pool", text);
            Assert.DoesNotContain("private_internaldiagnostics", text);
            // Labels stay low-cardinality: only these names ever appear on Assl's series.
            var labelNames = System.Text.RegularExpressions.Regex.Matches(text, @"^assl_\w+\{([^}]*)\}", System.Text.RegularExpressions.RegexOptions.Multiline)
                .SelectMany(m => m.Groups[1].Value.Split(',')).Select(pair => pair.Split('=')[0]).ToHashSet();
            // "class" is a class name (10 for N-UCLA), "model" candidate or serving, "rule" a promotion rule: bounded sets, never ids.
            Assert.Subset(new HashSet<string> { "reason", "kind", "model_version", "outcome", "le", "class", "model", "rule" }, labelNames);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
