using System.Text.Json;
using System.Text.Json.Serialization;

namespace Assl.Model.Training;

/// <summary>
/// Reads experiment files from configs/: JSON objects that override only the settings they name.
/// Unknown keys are errors, so a typo cannot silently fall back to a default.
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

    public static TrainingConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Config file not found: {path}", path);
        try
        {
            var config = JsonSerializer.Deserialize<TrainingConfig>(File.ReadAllBytes(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: the file holds no settings object.");
            config.Validate();
            return config;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}, byte {e.BytePositionInLine}: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    public static string ToJson(TrainingConfig config) => JsonSerializer.Serialize(config, JsonOptions);
}
