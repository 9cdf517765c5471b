using System.Text.Json;
using System.Text.Json.Nodes;

namespace Assl.Model.Training;

/// <summary>
/// Settings a config takes on above a label ratio, written as a config file writes them, e.g.
/// <c>"aboveLabelRatio": { "ratio": 0.10, "settings": { "consistencyStudent": "strong" } }</c>.
/// </summary>
/// <param name="Ratio">The bar: runs whose label ratio is above it use <paramref name="Settings"/>.</param>
/// <param name="Settings">Overrides, merged over the config as an <c>"extends"</c> file merges over its base.</param>
public sealed record LabelRatioSettings(double Ratio, JsonObject Settings)
{
    /// <summary><paramref name="config"/> with these settings over its own (and no bar left to apply).</summary>
    public TrainingConfig AppliedTo(TrainingConfig config)
    {
        var merged = JsonSerializer.SerializeToNode(config with { AboveLabelRatio = null }, TrainingConfigFile.JsonOptions)!.AsObject();
        TrainingConfigFile.Merge(merged, (JsonObject)Settings.DeepClone());
        return merged.Deserialize<TrainingConfig>(TrainingConfigFile.JsonOptions)!;
    }

    public void Validate(TrainingConfig owner)
    {
        if (Ratio is <= 0 or >= 1 || double.IsNaN(Ratio))
            throw new ArgumentException($"AboveLabelRatio.Ratio must be in (0, 1), got {Ratio}.");
        if (Settings.Any(p => string.Equals(p.Key, "aboveLabelRatio", StringComparison.OrdinalIgnoreCase) || string.Equals(p.Key, "labelRatio", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException("AboveLabelRatio.Settings cannot set labelRatio or another aboveLabelRatio.");
        TrainingConfig applied;
        try
        {
            applied = AppliedTo(owner);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"AboveLabelRatio.Settings: {e.Message}", e);
        }
        try
        {
            applied.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Above label ratio {Ratio}: {e.Message}", e);
        }
    }
}
