using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Assl.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Model.Checkpoints;

/// <summary>
/// One file per model: magic "ASSLCKPT", format version (u32), manifest length (u32), the manifest as
/// UTF-8 JSON, then the weights in TorchSharp's state-dict format. A single file makes replacing a
/// model one atomic rename; the manifest's SHA-256 and length catch truncation and corruption.
/// </summary>
public static class CheckpointFile
{
    public const string Extension = ".assl";
    private static readonly byte[] Magic = "ASSLCKPT"u8.ToArray();
    private const int HeaderBytes = 16;
    private const int MaxManifestBytes = 1 << 20;

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// Writes network and manifest to <paramref name="path"/> atomically: a temp file in the same folder,
    /// flushed to disk, then renamed over the target. A crash leaves either the old file or the new one.
    /// </summary>
    /// <returns>The manifest as written, with the weights' hash and size filled in.</returns>
    public static ModelManifest Save(string path, AsslNetwork network, ModelManifest manifest)
    {
        var weights = SerializeWeights(network);
        var complete = manifest with
        {
            Network = network.Config,
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)),
            WeightsBytes = weights.Length,
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(complete, JsonOptions);

        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(folder);
        var temp = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                Span<byte> header = stackalloc byte[HeaderBytes];
                Magic.CopyTo(header);
                BinaryPrimitives.WriteUInt32LittleEndian(header[8..], (uint)ModelManifest.CurrentFormatVersion);
                BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)json.Length);
                stream.Write(header);
                stream.Write(json);
                stream.Write(weights);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return complete;
    }

    /// <summary>Reads and validates the manifest only (cheap: no weights are loaded).</summary>
    public static ModelManifest ReadManifest(string path) => Read(path, loadWeights: false).Manifest;

    /// <summary>
    /// Loads a checkpoint onto <paramref name="device"/> (CPU when null). Refuses, with a clear
    /// <see cref="CheckpointException"/>, a file that is truncated, corrupt, of another format, or
    /// whose weights do not fit the manifest's network.
    /// </summary>
    public static (AsslNetwork Network, ModelManifest Manifest) Load(string path, Device? device = null)
    {
        var (manifest, weights) = Read(path, loadWeights: true);
        var network = NetworkFor(manifest.Network, path);
        try
        {
            using var stream = new MemoryStream(weights!);
            network.load(stream, strict: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            network.Dispose();
            throw new CheckpointException(path, $"the weights do not fit the network the manifest describes ({e.Message})", e);
        }
        network.eval();
        return (device is null ? network : network.to(device), manifest);
    }

    /// <summary>A fresh network of the manifest's description; an invalid one is the file's fault, said with its path.</summary>
    internal static AsslNetwork NetworkFor(AsslNetworkConfig config, string path)
    {
        try
        {
            return new AsslNetwork(config);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException(path, $"the manifest's network description is invalid: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that a loaded model can take input of <paramref name="layoutId"/> and <paramref name="frames"/>.
    /// </summary>
    public static void EnsureCompatible(ModelManifest manifest, string path, string? layoutId = null, int? frames = null, int? classes = null)
    {
        if (layoutId is not null && !string.Equals(manifest.JointLayout, layoutId, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException(path, $"the model expects joint layout {manifest.JointLayout}, not {layoutId}.");
        if (frames is not null && manifest.Preprocessing.Frames != frames)
            throw new CheckpointException(path, $"the model expects {manifest.Preprocessing.Frames}-frame windows, not {frames}.");
        if (classes is not null && manifest.ClassNames.Count != classes)
            throw new CheckpointException(path, $"the model has {manifest.ClassNames.Count} classes, not {classes}.");
    }

    private static (ModelManifest Manifest, byte[]? Weights) Read(string path, bool loadWeights)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "file not found.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> header = stackalloc byte[HeaderBytes];
        if (stream.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes)
            throw new CheckpointException(path, $"truncated: {stream.Length} bytes is shorter than the {HeaderBytes}-byte header.");
        if (!header[..8].SequenceEqual(Magic))
            throw new CheckpointException(path, "not an Assl checkpoint (the file does not start with ASSLCKPT).");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != ModelManifest.CurrentFormatVersion)
            throw new CheckpointException(path, $"format version {version}; this build reads version {ModelManifest.CurrentFormatVersion}.");
        uint manifestLength = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        if (manifestLength == 0 || manifestLength > MaxManifestBytes || HeaderBytes + manifestLength > stream.Length)
            throw new CheckpointException(path, $"truncated or corrupt: manifest length {manifestLength} does not fit a {stream.Length}-byte file.");

        var json = new byte[manifestLength];
        stream.ReadExactly(json);
        ModelManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions)
                ?? throw new CheckpointException(path, "the manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"the manifest is not valid JSON at byte {HeaderBytes + (e.BytePositionInLine ?? 0)}: {e.Message}", e);
        }

        long expectedLength = HeaderBytes + manifestLength + manifest.WeightsBytes;
        if (stream.Length != expectedLength)
            throw new CheckpointException(path,
                $"{(stream.Length < expectedLength ? "truncated" : "has trailing bytes")}: {stream.Length} bytes, the manifest promises {expectedLength}.");
        if (!loadWeights) return (manifest, null);

        var weights = new byte[manifest.WeightsBytes];
        stream.ReadExactly(weights);
        var hash = Convert.ToHexStringLower(SHA256.HashData(weights));
        if (hash != manifest.WeightsSha256)
            throw new CheckpointException(path, $"corrupt: the weights' SHA-256 is {hash[..12]}…, the manifest says {manifest.WeightsSha256[..Math.Min(12, manifest.WeightsSha256.Length)]}….");
        return (manifest, weights);
    }

    /// <summary>The SHA-256 a checkpoint of <paramref name="network"/>'s current weights would carry.</summary>
    public static string WeightsSha256Of(AsslNetwork network) => Convert.ToHexStringLower(SHA256.HashData(SerializeWeights(network)));

    private static byte[] SerializeWeights(AsslNetwork network)
    {
        using var buffer = new MemoryStream();
        network.save(buffer);
        return buffer.ToArray();
    }

    /// <summary>Writes the manifest alone as readable JSON (informational; the checkpoint's copy is authoritative).</summary>
    public static void WriteManifestJson(string path, ModelManifest manifest) =>
        File.WriteAllText(path, JsonSerializer.Serialize(manifest, JsonOptions), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

    /// <summary>Reads a manifest written by <see cref="WriteManifestJson"/> (as the PyTorch export leaves beside its state_dict).</summary>
    public static ModelManifest ReadManifestJson(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new CheckpointException(path, "manifest not found (the PyTorch export writes it beside the state_dict, as .json).");
        if (file.Length > MaxManifestBytes + Encoding.UTF8.Preamble.Length)
            throw new CheckpointException(path, $"{file.Length} bytes is too large for a manifest (at most {MaxManifestBytes}).");
        ReadOnlySpan<byte> json = File.ReadAllBytes(path);
        // Earlier builds wrote a byte-order mark, which JSON readers (System.Text.Json, Python's json) refuse.
        if (json.StartsWith(Encoding.UTF8.Preamble)) json = json[Encoding.UTF8.Preamble.Length..];
        if (json.Length > MaxManifestBytes) throw new CheckpointException(path, $"{json.Length} bytes is too large for a manifest (at most {MaxManifestBytes}).");
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(json, JsonOptions) ?? throw new CheckpointException(path, "the manifest is empty.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException(path, $"not a model manifest: {e.Message}", e);
        }
    }
}
