using Assl.Stream.OnlineLearning.Promotion;
using Assl.Stream.Tests.Server;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _folder.Dispose();

    private ModelRegistry Registry(int history = 3) => new(_folder.File("models"), history, _log);

    private string CopyOfShippedModel(string name)
    {
        var path = _folder.File(name);
        File.Copy(AsslServerFixture.ShippedModel, path);
        return path;
    }

    [Fact]
    public void ThePointerKeepsTheServedVersionsNewestFirst_UpToTheHistoryLength()
    {
        var registry = Registry(history: 2);
        Assert.Null(registry.ReadPointer());
        registry.SetServing("b", "/m/b.assl", "a", "/m/a.assl");
        registry.SetServing("c", "/m/c.assl", "b", "/m/b.assl");
        registry.SetServing("d", "/m/d.assl", "c", "/m/c.assl");

        var pointer = registry.ReadPointer()!;
        Assert.Equal("d", pointer.Version);
        Assert.Equal(["c", "b"], pointer.History.Select(h => h.Version));
        Assert.False(File.Exists(registry.PointerPath + ".tmp"));
    }

    [Fact]
    public void StartUpServesThePointersVersion()
    {
        var registry = Registry();
        var good = CopyOfShippedModel("good.assl");
        registry.SetServing("nucla-supervised-r1-s1-e40", good, null, null);
        var model = registry.LoadStartupModel("/does/not/exist.assl", CPU);
        Assert.Equal(good, model.SourcePath);
        model.Retire();
    }

    [Fact]
    public void StartUpRefusesATruncatedCheckpointWithALogLine_AndFallsBackToThePreviousVersion()
    {
        var registry = Registry();
        var previous = CopyOfShippedModel("previous.assl");
        var broken = CopyOfShippedModel("broken.assl");
        using (var stream = new FileStream(broken, FileMode.Open)) stream.SetLength(stream.Length / 2);
        registry.SetServing("broken", broken, "previous", previous);

        var model = registry.LoadStartupModel("/does/not/exist.assl", CPU);

        Assert.Equal(previous, model.SourcePath);
        var line = Assert.Single(_log.Lines, l => l.Contains("Refusing checkpoint"));
        Assert.Contains("broken", line);
        model.Retire();
    }

    [Fact]
    public void AnUnreadablePointerIsLoggedAndTheConfiguredModelServes()
    {
        var registry = Registry();
        Directory.CreateDirectory(registry.Directory);
        File.WriteAllText(registry.PointerPath, "{ not json");
        var configured = CopyOfShippedModel("configured.assl");

        var model = registry.LoadStartupModel(configured, CPU);

        Assert.Equal(configured, model.SourcePath);
        Assert.Contains(_log.Lines, l => l.Contains("cannot be read"));
        model.Retire();
    }

    [Fact]
    public void PruningKeepsTheNewestAndEveryVersionThePointerNames()
    {
        var registry = Registry();
        Directory.CreateDirectory(registry.Directory);
        var paths = Enumerable.Range(0, 5).Select(i => registry.CheckpointPath($"v{i}")).ToArray();
        for (int i = 0; i < paths.Length; i++)
        {
            File.WriteAllText(paths[i], "x");
            File.SetLastWriteTimeUtc(paths[i], DateTime.UtcNow.AddMinutes(i));
        }
        registry.SetServing("v0", paths[0], null, null);

        registry.Prune(keep: 2);

        Assert.True(File.Exists(paths[0]), "the serving version is never pruned");
        Assert.True(File.Exists(paths[4]) && File.Exists(paths[3]));
        Assert.False(File.Exists(paths[1]) || File.Exists(paths[2]));
    }
}

/// <summary>Keeps formatted log lines in memory.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines) return _lines.ToArray();
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines) _lines.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
