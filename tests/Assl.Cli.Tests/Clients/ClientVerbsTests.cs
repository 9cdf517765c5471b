using Assl.Cli.Commands;

namespace Assl.Cli.Tests.Clients;

public sealed class ClientVerbsTests
{
    [Theory]
    [InlineData("serve", "--urls", "http://127.0.0.1:5081", "--Inference:ModelPath=models/x.assl", "--Server:ApiKey=k")]
    [InlineData("replay", "a.json", "dir", "--server", "http://h:5080", "--cameras", "4", "--loop", "--speed", "0", "--api-key", "k", "--limit", "3", "--stretch-to", "80")]
    [InlineData("watch", "--server", "http://h:5080", "--camera", "cam-1", "--camera", "cam-2")]
    [InlineData("demo", "--data", "/data", "--count", "20")]
    [InlineData("loadtest", "--server", "http://h:5080", "--streams", "8", "--fps", "30", "--duration", "20", "--saturate", "--warmup", "2",
        "--json", "out.json", "--append-results", "docs/results/serving.json", "--metrics-url", "http://h:9464/metrics")]
    public void VerbsParse(params string[] args) =>
        Assert.Empty(AsslCommandLine.Build().Parse(args).Errors);

    [Fact]
    public void ServePassesServerConfigurationThrough()
    {
        var parse = AsslCommandLine.Build().Parse(["serve", "--Inference:ModelPath=m.assl", "--Server:MetricsPort=0"]);
        Assert.Equal(["--Inference:ModelPath=m.assl", "--Server:MetricsPort=0"], parse.UnmatchedTokens);
    }

    [Fact]
    public void ReplayNeedsFiles() =>
        Assert.NotEmpty(AsslCommandLine.Build().Parse(["replay"]).Errors);
}
