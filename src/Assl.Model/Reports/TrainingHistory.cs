using System.Text.Json;
using System.Text.Json.Serialization;

namespace Assl.Model.Reports;

/// <summary>Per-epoch records of one training run, kept in order, saved as JSON and plotted by <see cref="TrainingCurvesPlot"/>.</summary>
public sealed class TrainingHistory
{
    private readonly List<EpochRecord> epochs;

    /// <summary>An empty history.</summary>
    public TrainingHistory() => epochs = [];

    /// <summary>A history holding <paramref name="epochs"/> (also the JSON constructor).</summary>
    [JsonConstructor]
    public TrainingHistory(IReadOnlyList<EpochRecord> epochs)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        this.epochs = [.. epochs];
    }

    /// <summary>Records in the order they were added.</summary>
    public IReadOnlyList<EpochRecord> Epochs => epochs;

    /// <summary>Appends one epoch's record.</summary>
    public void Add(EpochRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Losses, nameof(record.Losses));
        epochs.Add(record);
    }

    /// <summary>Every loss term name that appears in any epoch, in order of first appearance (stable legend order).</summary>
    public IReadOnlyList<string> LossNames() =>
        epochs.SelectMany(e => e.Losses.Keys).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Indented JSON of every record.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads JSON written by <see cref="ToJson"/>.</summary>
    public static TrainingHistory FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingHistory>(json, JsonOptions)
        ?? throw new JsonException("JSON holds no training history.");

    /// <summary>Writes <see cref="ToJson"/> atomically, creating the folder; safe to call after every epoch.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson());

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    public static TrainingHistory Load(string path) => FromJson(File.ReadAllText(path));

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A diverging run logs NaN or Infinity losses; plain JSON cannot hold them and the save would throw,
        // losing the very record that explains the divergence. Write them as "NaN"/"Infinity" strings instead.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
