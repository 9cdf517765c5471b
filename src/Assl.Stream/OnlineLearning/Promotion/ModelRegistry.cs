using System.Text.Json;
using Assl.Model.Checkpoints;
using Assl.Model.Networks;
using Assl.Model.Reports;
using Assl.Stream.Inference;
using Assl.Stream.Observability;
using static TorchSharp.torch;

namespace Assl.Stream.OnlineLearning.Promotion;

/// <summary>
/// The online loop's model files: every candidate's checkpoint (<c>&lt;version&gt;.assl</c>) and the serving
/// pointer (<c>serving.json</c>) in one folder. Checkpoints and pointer are each written atomically
/// (temp file, flush, rename), and the pointer only after its checkpoint, so a crash at any moment leaves
/// the last promoted version loadable.
/// </summary>
public sealed class ModelRegistry
{
    public const string PointerFile = "serving.json";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly string _directory;
    private readonly int _historyLength;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    /// <param name="directory">Absolute folder for checkpoints and pointer (created when missing).</param>
    /// <param name="historyLength">Earlier serving versions kept for rollback and fall-back.</param>
    public ModelRegistry(string directory, int historyLength, ILogger logger)
    {
        _directory = directory;
        _historyLength = historyLength;
        _logger = logger;
    }

    public string Directory => _directory;

    public string PointerPath => System.IO.Path.Combine(_directory, PointerFile);

    /// <summary>The pointer, or null when none was written yet (or it cannot be read, which is logged).</summary>
    public ServingPointer? ReadPointer()
    {
        if (!File.Exists(PointerPath)) return null;
        try
        {
            var pointer = JsonSerializer.Deserialize<ServingPointer>(File.ReadAllText(PointerPath), Json);
            if (pointer is null || string.IsNullOrEmpty(pointer.Version) || string.IsNullOrEmpty(pointer.Path))
                throw new JsonException("the version or path is missing");
            return pointer with { History = pointer.History ?? [] };
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            StreamLog.ServingPointerUnreadable(_logger, PointerPath, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The model to serve at start-up: the pointer's version, else (when its checkpoint is refused) the
    /// versions served before it, newest first, else the configured model. Every refusal is logged with its reason.
    /// </summary>
    public ServingModel LoadStartupModel(string configuredPath, Device device)
    {
        var pointer = ReadPointer();
        foreach (var served in pointer?.NewestFirst() ?? [])
        {
            try
            {
                return ServingModel.Load(served.Path, device);
            }
            catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
            {
                StreamLog.CheckpointRefused(_logger, served.Version, served.Path, e.Message);
            }
        }
        return ServingModel.Load(configuredPath, device);
    }

    /// <summary>Where a version's checkpoint goes.</summary>
    public string CheckpointPath(string version) => System.IO.Path.Combine(_directory, version + CheckpointFile.Extension);

    /// <summary>Writes a candidate's checkpoint atomically; returns the manifest as written.</summary>
    public ModelManifest SaveCheckpoint(AsslNetwork network, ModelManifest manifest)
    {
        System.IO.Directory.CreateDirectory(_directory);
        return CheckpointFile.Save(CheckpointPath(manifest.ModelVersion), network, manifest);
    }

    /// <summary>Makes <paramref name="version"/> the one a restart serves; the previous one moves into the history.</summary>
    public ServingPointer SetServing(string version, string path, string? previousVersion, string? previousPath)
    {
        lock (_gate)
        {
            var old = ReadPointer();
            var history = new List<ServedVersion>();
            if (old is not null) history.AddRange(old.NewestFirst());
            else if (previousVersion is not null && previousPath is not null) history.Add(new ServedVersion(previousVersion, previousPath));
            history.RemoveAll(h => h.Version == version);
            var pointer = new ServingPointer(version, path, history.Take(_historyLength).ToArray());
            System.IO.Directory.CreateDirectory(_directory);
            AtomicFile.WriteAllText(PointerPath, JsonSerializer.Serialize(pointer, Json));
            return pointer;
        }
    }

    /// <summary>
    /// Deletes candidate checkpoints beyond the newest <paramref name="keep"/> that the pointer does not
    /// name (serving or history). Failures are logged, never thrown: pruning is housekeeping.
    /// </summary>
    public void Prune(int keep)
    {
        var pointer = ReadPointer();
        var protectedPaths = new HashSet<string>((pointer?.NewestFirst() ?? []).Select(v => System.IO.Path.GetFullPath(v.Path)));
        if (!System.IO.Directory.Exists(_directory)) return;
        var files = new DirectoryInfo(_directory).GetFiles("*" + CheckpointFile.Extension)
            .OrderByDescending(f => f.LastWriteTimeUtc).Skip(keep)
            .Where(f => !protectedPaths.Contains(f.FullName));
        foreach (var file in files)
        {
            try
            {
                file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                StreamLog.PruneFailed(_logger, file.FullName, e.Message);
            }
        }
    }
}
