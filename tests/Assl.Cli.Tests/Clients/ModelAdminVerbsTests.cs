using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Commands;
using Assl.Cli.Infrastructure;
using Assl.Proto.V1;
using Assl.Stream.OnlineLearning.Loop;
using Assl.Stream.Tests.Server;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Assl.Cli.Tests.Clients;

/// <summary>`assl model status|list|promote|…` against the real server (in-process, loopback) over an in-memory loop.</summary>
public sealed class ModelAdminVerbsTests
{
    private const string AdminKey = "cli-adm1n";

    [Theory]
    [InlineData("model", "status", "--server", "http://h:5080", "--admin-key", "k")]
    [InlineData("model", "list")]
    [InlineData("model", "promote", "v3", "--reason", "checked by hand")]
    [InlineData("model", "rollback")]
    [InlineData("model", "rollback", "--version", "v1", "--reason", "v2 drifts")]
    [InlineData("model", "finetune", "--reason", "new camera")]
    [InlineData("model", "pause", "--admin-key", "k")]
    [InlineData("model", "resume")]
    public void AdminVerbsParse(params string[] args) =>
        Assert.Empty(AsslCommandLine.Build().Parse(args).Errors);

    [Fact]
    public void PromoteNeedsAVersion() =>
        Assert.NotEmpty(AsslCommandLine.Build().Parse(["model", "promote"]).Errors);

    [SkippableFact]
    public async Task StatusListAndOperatorActionsPrintWhatTheServerSays()
    {
        var model = InProcessServer.ShippedModel();
        Skip.IfNot(File.Exists(model), $"shipped model not found at {model}");
        var loop = new FakeOnlineLearningControl();
        var store = Path.Combine(Path.GetTempPath(), $"assl-cli-admin-{Guid.NewGuid():N}.db");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var server = await InProcessServer.StartAsync(model, b => b.Services.AddSingleton<IOnlineLearningControl>(loop), timeout.Token,
            "--Server:AdminApiKey=" + AdminKey, "--Store:Path=" + store);

        var (code, output) = await Run("model", "status", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Equal(Verb.Ok, code);
        Assert.Contains("state:        idle", output);
        Assert.Contains("serving:      nucla-v2", output);
        Assert.Contains("new samples:  1234", output);
        Assert.Contains("2026-01-01 00:00 UTC", output);
        Assert.Contains("nucla-v3 refused, top-1 83.0 %, 95.5 s", output);
        Assert.Contains("detail:       waiting for 2000 new samples", output);

        (code, output) = await Run("model", "list", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Equal(Verb.Ok, code);
        var lines = output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(4, lines.Length);
        // Top-1 first, then agreement, then the rest; a version without a metric shows a dash.
        Assert.Matches(@"^version\s+status\s+created \(UTC\)\s+val_top1\s+agreement\s+entropy$", lines[0]);
        Assert.Matches(@"^nucla-v1\s+retired\s+2025-01-01 00:00\s+80\.0 %\s+-\s+-$", lines[1]);
        Assert.Matches(@"^nucla-v2\s+serving\s+2025-02-01 00:00\s+84\.5 %\s+97\.0 %\s+0\.41$", lines[2]);

        (code, output) = await Run("model", "promote", "nucla-v3", "--reason", "checked by hand", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Equal(Verb.Ok, code);
        Assert.Contains("now serving nucla-v3 (serving", output);
        (code, output) = await Run("model", "rollback", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Contains("now serving nucla-v2", output);
        (code, output) = await Run("model", "finetune", "--server", server.Address, "--admin-key", AdminKey);
        Assert.StartsWith("accepted:", output);
        (code, output) = await Run("model", "pause", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Contains("(paused by an operator)", output);
        Assert.Equal(["promote nucla-v3 (checked by hand)", "rollback (previous)", "finetune (no reason given)", "pause"], loop.Calls);

        // The loop's refusal and a wrong key are one clear line each and exit 3, not stack traces.
        loop.RefuseNextWith = "Nothing to roll back to.";
        var (failed, error) = await RunFailing("model", "rollback", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Equal(Verb.ServerError, failed);
        Assert.Equal("error: server call failed: FailedPrecondition: Nothing to roll back to.", error);
        (failed, error) = await RunFailing("model", "status", "--server", server.Address, "--admin-key", "wrong");
        Assert.Equal(Verb.ServerError, failed);
        Assert.Contains("Unauthenticated", error);
        Assert.Contains("--admin-key", error);
        (failed, error) = await RunFailing("model", "promote", "nucla-v9", "--server", server.Address, "--admin-key", AdminKey);
        Assert.Equal(Verb.ServerError, failed);
        Assert.Contains("NotFound", error);

        // The key can come from the environment instead.
        Environment.SetEnvironmentVariable("ASSL_ADMIN_KEY", AdminKey);
        try
        {
            (code, output) = await Run("model", "status", "--server", server.Address);
            Assert.Equal(Verb.Ok, code);
            Assert.Contains("serving:      nucla-v2", output);
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASSL_ADMIN_KEY", null);
        }
    }

    [Fact]
    public void AWrongAdminKeyPointsAtTheAdminKeyOption()
    {
        var admin = Verb.Describe(new RpcException(new Status(StatusCode.Unauthenticated, "Missing or wrong admin key: send it in the 'x-admin-key' header.")));
        Assert.Contains("--admin-key", admin);
        var ingest = Verb.Describe(new RpcException(new Status(StatusCode.Unauthenticated, "Missing or wrong API key: send it in the 'x-api-key' header.")));
        Assert.Contains("--api-key", ingest);
        Assert.DoesNotContain("--admin-key", ingest);
    }

    [Fact]
    public void MetricsReadAsPercentagesOnlyWhenTheirNameSaysSo()
    {
        Assert.Equal("84.5 %", AdminReport.Metric("val_top1", 0.845));
        Assert.Equal("97.0 %", AdminReport.Metric("agreement", 0.97));
        Assert.Equal("0.41", AdminReport.Metric("entropy", 0.41));
        Assert.Equal("1.25", AdminReport.Metric("val_top1", 1.25)); // out of [0, 1]: not a fraction after all
    }

    [Fact]
    public void AnEmptyVersionListSaysSo()
    {
        var output = new StringWriter();
        AdminReport.WriteVersions([], output);
        Assert.Equal("No model versions are known yet.", output.ToString().Trim());
    }

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var (code, output, error) = await Invoke(args);
        Assert.True(error.Length == 0, error);
        return (code, output);
    }

    /// <summary>Runs a verb expected to fail: its exit code and its stderr, which must be a single line while stdout stays empty.</summary>
    private static async Task<(int Code, string Error)> RunFailing(params string[] args)
    {
        var (code, output, error) = await Invoke(args);
        Assert.Empty(output);
        Assert.Single(error.Trim().Split('\n'));
        return (code, error.Trim());
    }

    private static async Task<(int Code, string Output, string Error)> Invoke(string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = await AsslCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
