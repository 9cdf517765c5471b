using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Assl.Model.Training;

/// <summary>
/// Reads experiment files from configs/: JSON objects that override only the settings they name (over the
/// defaults, or over the file they extend). Unknown keys are errors, so a typo cannot silently fall back to a default.
/// </summary>
public static class TrainingConfigFile
{
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>The key that names a base file: its settings apply first, this file's override them.</summary>
    public const string ExtendsKey = "extends";

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Loads a settings file. A file may name another with <c>"extends"</c> (a path relative to itself): the base's
    /// settings apply first and this file's override them, nested objects (encoder, augmentation) key by key, so a
    /// variant states only what it changes.
    /// </summary>
    public static TrainingConfig Load(string path)
    {
        var merged = LoadMerged(Path.GetFullPath(path), []);
        try
        {
            var config = merged.Deserialize<TrainingConfig>(JsonOptions)
                ?? throw new InvalidDataException($"{path}: the file holds no settings object.");
            config.Validate();
            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    private static JsonObject LoadMerged(string path, List<string> chain)
    {
        if (!File.Exists(path))
            throw chain.Count == 0
                ? new FileNotFoundException($"Config file not found: {path}", path)
                : new InvalidDataException($"{chain[^1]}: extends {path}, which does not exist.");
        if (chain.Contains(path, StringComparer.Ordinal))
            throw new InvalidDataException($"{path}: extends itself through {string.Join(" → ", chain.Append(path).Select(Path.GetFileName))}.");
        chain.Add(path);

        JsonObject settings;
        try
        {
            settings = JsonNode.Parse(File.ReadAllBytes(path), documentOptions: DocumentOptions) as JsonObject
                ?? throw new InvalidDataException($"{path}: the file holds no settings object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message}", e);
        }

        var extendsKey = settings.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, ExtendsKey, StringComparison.OrdinalIgnoreCase));
        string? baseName = null;
        if (extendsKey is not null)
        {
            if (settings[extendsKey] is not JsonValue value || !value.TryGetValue(out baseName) || string.IsNullOrWhiteSpace(baseName))
                throw new InvalidDataException($"{path}: \"{ExtendsKey}\" must name a config file, e.g. \"assl_nucla_xview.json\".");
            settings.Remove(extendsKey);
        }
        ThrowOnUnknownOrMistypedKeys(path, settings);
        if (baseName is null) return settings;
        var basePath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, baseName));
        var merged = LoadMerged(basePath, chain);
        Merge(merged, settings);
        return merged;
    }

    /// <summary>
    /// Reads one file's own settings on their own (every setting has a default), so that a misspelt key or a value of
    /// the wrong type is reported against the file that holds it, not the variant that extends it.
    /// </summary>
    private static void ThrowOnUnknownOrMistypedKeys(string path, JsonObject settings)
    {
        try
        {
            settings.Deserialize<TrainingConfig>(JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Writes <paramref name="overrides"/> into <paramref name="target"/>: objects merge key by key, anything else replaces.</summary>
    internal static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, node) in overrides.ToList())
        {
            // Keys match as the deserializer matches them: case-insensitively.
            var existing = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (existing is not null && target[existing] is JsonObject baseObject && node is JsonObject overrideObject)
            {
                Merge(baseObject, overrideObject);
                continue;
            }
            if (existing is not null) target.Remove(existing);
            overrides.Remove(key);
            target[key] = node;
        }
    }

    public static string ToJson(TrainingConfig config) => JsonSerializer.Serialize(config, JsonOptions);
}
