using System.ComponentModel.DataAnnotations;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Assl.Stream.OnlineLearning.Store;

/// <summary>Where the online loop keeps its samples, and how much of them.</summary>
public sealed class StoreOptions
{
    public const string SectionName = "Store";

    /// <summary>The SQLite file; a relative path is taken from the content root.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Path { get; set; } = "data/assl.db";

    /// <summary>
    /// A full SQLite connection string, for what <see cref="Path"/> cannot say (e.g. <c>Mode=ReadOnly</c>);
    /// when set, <see cref="Path"/> is ignored.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Store commands waiting for the writer; beyond this new ones are dropped (and counted).</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>Windows kept; retention deletes the oldest beyond this.</summary>
    [Range(1, 100_000_000)]
    public int MaxWindows { get; set; } = 200_000;

    /// <summary>Windows older than this (by capture time) are deleted.</summary>
    [Range(0.001, 36_500)]
    public double MaxAgeDays { get; set; } = 30;

    /// <summary>Most commands in one write transaction.</summary>
    [Range(1, 100_000)]
    public int WriteBatchSize { get; set; } = 256;

    /// <summary>How long a partly filled write batch waits for more commands, in milliseconds.</summary>
    [Range(0, 1000)]
    public double WriteBatchDelayMs { get; set; } = 5;

    /// <summary>Retention runs after this many written commands ...</summary>
    [Range(1, 100_000_000)]
    public int RetentionEveryWrites { get; set; } = 10_000;

    /// <summary>... or after this many seconds, whichever comes first.</summary>
    [Range(1, 86_400)]
    public double RetentionIntervalSeconds { get; set; } = 60;

    /// <summary>While the store is unwritable, how often a write is tried again, in seconds.</summary>
    [Range(0.01, 3600)]
    public double RetryIntervalSeconds { get; set; } = 10;

    /// <summary>The connection string: <see cref="ConnectionString"/>, or one for <see cref="Path"/> under <paramref name="contentRootPath"/>.</summary>
    public string ResolveConnectionString(string contentRootPath)
    {
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return ConnectionString;
        var path = System.IO.Path.GetFullPath(Path, contentRootPath);
        return new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
    }
}

/// <summary>Source-generated DataAnnotations validator; register with <c>ValidateOnStart()</c>.</summary>
[OptionsValidator]
public sealed partial class ValidateStoreOptions : IValidateOptions<StoreOptions>;
