using System.Text.Json.Nodes;
using Assl.Model.Training;

namespace Assl.Model.Experiments.Comparison;

/// <summary>One setting whose value differs between two configs, by its path in the config file (e.g. encoder.hidden).</summary>
public sealed record SettingChange(string Path, string? Before, string? After);

/// <summary>What two training configs set differently, as their files name the settings.</summary>
public static class SettingsDifference
{
    /// <summary>Settings that tell runs of one setting apart and so never count as a difference between two settings.</summary>
    private static readonly HashSet<string> PerRun = ["seed", "threads"];

    /// <returns>Every setting but <c>seed</c> and <c>threads</c> whose value differs, in the order the config file lists them.</returns>
    public static IReadOnlyList<SettingChange> Between(TrainingConfig before, TrainingConfig after)
    {
        var a = Flatten(TrainingConfigFile.ToJson(before));
        var b = Flatten(TrainingConfigFile.ToJson(after));
        return a.Keys.Concat(b.Keys.Except(a.Keys))
            .Where(path => !PerRun.Contains(path))
            .Select(path => new SettingChange(path, a.GetValueOrDefault(path), b.GetValueOrDefault(path)))
            .Where(change => change.Before != change.After)
            .ToList();
    }

    private static Dictionary<string, string?> Flatten(string json)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        Visit(JsonNode.Parse(json), "", values);
        return values;
    }

    // Objects open into their keys; arrays and values are compared whole, as their JSON text.
    private static void Visit(JsonNode? node, string path, Dictionary<string, string?> values)
    {
        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj)
                Visit(child, path.Length == 0 ? key : $"{path}.{key}", values);
            return;
        }
        values[path] = node?.ToJsonString();
    }
}
