using System.Text.Json;
using System.Text.Json.Serialization;

namespace Assl.Model.Reports;

/// <summary>
/// Counts of (true class, predicted class) pairs over an evaluation set, with the accuracies derived from them.
/// </summary>
/// <remarks>
/// Counts are jagged (<c>Counts[truth][predicted]</c>) rather than a 2-D array because System.Text.Json cannot
/// serialise multi-dimensional arrays, and the JSON is meant to be read by scripts next to the PNG.
/// Derived values never contain NaN (JSON cannot hold it and a NaN quietly poisons averages):
/// a class with no samples has <see cref="PerClassAccuracy"/> <c>null</c> ("not measured", which is not 0%),
/// and an empty matrix has <see cref="Top1"/> 0.
/// </remarks>
public sealed class ConfusionMatrix
{
    private readonly int[][] counts;

    /// <summary>Builds the matrix from one predicted label per sample.</summary>
    /// <param name="truth">True class index per sample, each in [0, classNames.Count).</param>
    /// <param name="predicted">Predicted class index per sample, same length as <paramref name="truth"/>.</param>
    /// <param name="classNames">Name of each class, indexed by class id.</param>
    public ConfusionMatrix(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
        : this(classNames, Tally(truth, predicted, classNames))
    {
    }

    /// <summary>Builds the matrix from counts already tallied (also the JSON constructor).</summary>
    /// <param name="classNames">Name of each class, indexed by class id.</param>
    /// <param name="counts">Square table, <c>counts[truth][predicted]</c>, non-negative.</param>
    [JsonConstructor]
    public ConfusionMatrix(IReadOnlyList<string> classNames, IReadOnlyList<IReadOnlyList<int>> counts)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(counts);
        if (classNames.Count == 0)
            throw new ArgumentException("At least one class is needed.", nameof(classNames));
        int n = classNames.Count;
        if (counts.Count != n)
            throw new ArgumentException($"Counts has {counts.Count} rows for {n} classes.", nameof(counts));

        // Copy so the caller's arrays (or a reused buffer) cannot change a matrix after the fact.
        this.counts = new int[n][];
        for (int t = 0; t < n; t++)
        {
            IReadOnlyList<int> row = counts[t] ?? throw new ArgumentException($"Row {t} is null.", nameof(counts));
            if (row.Count != n)
                throw new ArgumentException($"Row {t} has {row.Count} columns for {n} classes.", nameof(counts));
            this.counts[t] = new int[n];
            for (int p = 0; p < n; p++)
            {
                if (row[p] < 0)
                    throw new ArgumentException($"Count [{t}][{p}] is negative.", nameof(counts));
                this.counts[t][p] = row[p];
            }
        }
        ClassNames = classNames.ToArray();

        var support = new int[n];
        int correct = 0;
        for (int t = 0; t < n; t++)
        {
            support[t] = this.counts[t].Sum();
            correct += this.counts[t][t];
        }
        Support = support;
        Total = support.Sum();
        Correct = correct;
        Top1 = Total == 0 ? 0.0 : (double)correct / Total;
        var perClass = new double?[n];
        for (int t = 0; t < n; t++)
            perClass[t] = support[t] == 0 ? null : (double)this.counts[t][t] / support[t];
        PerClassAccuracy = perClass;
    }

    /// <summary>Class names, indexed by class id.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary><c>Counts[truth][predicted]</c>: how many samples of class <c>truth</c> were predicted as <c>predicted</c>.</summary>
    public IReadOnlyList<IReadOnlyList<int>> Counts => counts;

    /// <summary>Number of classes.</summary>
    [JsonIgnore]
    public int ClassCount => counts.Length;

    /// <summary>Number of samples counted.</summary>
    public int Total { get; }

    /// <summary>Number of samples whose prediction equals the truth (the diagonal).</summary>
    public int Correct { get; }

    /// <summary>Fraction of all samples predicted correctly, in [0, 1]; 0 when the matrix is empty.</summary>
    public double Top1 { get; }

    /// <summary>Samples per true class (row sums).</summary>
    public IReadOnlyList<int> Support { get; }

    /// <summary>
    /// Recall per true class, in [0, 1]: diagonal over row sum. <c>null</c> for a class with no samples,
    /// because "never tested" must not read as "always wrong" (0) nor break JSON and averages (NaN).
    /// </summary>
    public IReadOnlyList<double?> PerClassAccuracy { get; }

    /// <summary>Mean of <see cref="PerClassAccuracy"/> over classes that have samples (balanced accuracy); 0 when none have.</summary>
    [JsonIgnore]
    public double MeanClassAccuracy
    {
        get
        {
            var measured = PerClassAccuracy.Where(a => a.HasValue).Select(a => a!.Value).ToArray();
            return measured.Length == 0 ? 0.0 : measured.Average();
        }
    }

    /// <summary>Count of samples of class <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public int this[int truth, int predicted] => counts[truth][predicted];

    /// <summary>
    /// Each row divided by its support, so cells read "of the samples of this class, the share predicted as
    /// that one". Rows of classes with no samples stay all 0 (no NaN) so a plot shows them blank.
    /// </summary>
    public double[,] RowNormalised()
    {
        int n = ClassCount;
        var result = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            if (Support[t] == 0)
                continue;
            for (int p = 0; p < n; p++)
                result[t, p] = (double)counts[t][p] / Support[t];
        }
        return result;
    }

    /// <summary>Indented JSON with counts and every derived value, for people and scripts alike.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads JSON written by <see cref="ToJson"/>; derived values are recomputed from the counts.</summary>
    public static ConfusionMatrix FromJson(string json) =>
        JsonSerializer.Deserialize<ConfusionMatrix>(json, JsonOptions)
        ?? throw new JsonException("JSON holds no confusion matrix.");

    /// <summary>Writes <see cref="ToJson"/> atomically, creating the folder.</summary>
    public void SaveJson(string path) => AtomicFile.WriteAllText(path, ToJson());

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    private static int[][] Tally(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<string> classNames)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(classNames);
        if (truth.Count != predicted.Count)
            throw new ArgumentException($"{truth.Count} true labels but {predicted.Count} predictions.", nameof(predicted));
        int n = classNames.Count;
        var table = new int[n][];
        for (int t = 0; t < n; t++)
            table[t] = new int[n];
        for (int i = 0; i < truth.Count; i++)
        {
            int t = truth[i], p = predicted[i];
            // A label outside the class list means a mismatched class map: fail loudly, never drop the sample.
            if ((uint)t >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(truth), t, $"Sample {i}: true class outside [0, {n}).");
            if ((uint)p >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(predicted), p, $"Sample {i}: predicted class outside [0, {n}).");
            table[t][p]++;
        }
        return table;
    }
}
