using System.Diagnostics;
using System.Text;
using Assl.Proto.V1;
using Assl.Tests;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Assl.Stream.Tests.OnlineLearning;

/// <summary>
/// The real server binary (Assl.Stream.dll beside the tests) in a process of its own, so a test can
/// SIGKILL it mid-work and start it again on the same files.
/// </summary>
internal sealed class ChildServer : IAsyncDisposable
{
    public const string AdminKey = "fault-test-admin-key";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly GrpcChannel _channel;

    private ChildServer(Process process, string address)
    {
        _process = process;
        Address = address;
        _channel = GrpcChannel.ForAddress(address);
        Recognition = new ActionRecognition.ActionRecognitionClient(_channel);
        Admin = new ModelAdmin.ModelAdminClient(_channel);
    }

    public string Address { get; }
    public ActionRecognition.ActionRecognitionClient Recognition { get; }
    public ModelAdmin.ModelAdminClient Admin { get; }
    public Metadata AdminHeaders { get; } = new() { { "x-admin-key", AdminKey } };

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public static async Task<ChildServer> StartAsync(params string[] args)
    {
        int port = LoopbackPort.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Assl.Stream.dll"));
        // Normal priority for fine-tuning: these tests are about killing and restarting, and at nice 19 a busy
        // test machine can starve the run they wait for. A test's own args come later and win.
        foreach (var a in (string[])[$"--Urls=http://127.0.0.1:{port}", "--Server:MetricsPort=0", "--Server:AdminApiKey=" + AdminKey,
                     "--OnlineLearning:Niceness=0", .. args])
            info.ArgumentList.Add(a);
        info.Environment["OMP_NUM_THREADS"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var child = new ChildServer(process, $"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await child.WaitServingAsync(TimeSpan.FromSeconds(90));
        return child;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    private async Task WaitServingAsync(TimeSpan timeout)
    {
        var health = new Health.HealthClient(_channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{Output}");
            try
            {
                var reply = await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                if (reply.Status == HealthCheckResponse.Types.ServingStatus.Serving) return;
            }
            catch (RpcException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The server did not become healthy in {timeout}:\n{Output}");
    }

    public async Task<LoopStatus> StatusAsync() => await Admin.GetStatusAsync(new GetStatusRequest(), AdminHeaders);

    public async Task<string> ServedVersionAsync() => (await Recognition.GetModelAsync(new GetModelRequest())).Version;

    /// <summary>Waits until <paramref name="done"/> holds for the loop's status.</summary>
    public async Task<LoopStatus> WaitForAsync(Func<LoopStatus, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var status = await StatusAsync();
            if (done(status)) return status;
            await Task.Delay(20);
        }
        throw new TimeoutException($"The loop never reached the expected state; last: {await StatusAsync()}\n{Output}");
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a power cut or an OOM kill.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        if (!_process.HasExited) Kill();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
