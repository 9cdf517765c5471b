using Assl.Model.Readers;

namespace Assl.Model.Datasets;

/// <summary>Loads the N-UCLA "all_sqe" folder: one JSON file per clip.</summary>
public static class NuclaDataset
{
    /// <summary>
    /// Reads every *.json in <paramref name="directory"/> in parallel. A file that fails (malformed,
    /// badly named, label disagreeing with its action code) is listed in
    /// <see cref="DatasetLoadResult.Rejected"/> and the rest still load.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> fired.</exception>
    public static DatasetLoadResult Load(string directory, IProgress<DatasetLoadProgress>? progress = null,
        CancellationToken ct = default) =>
        Load(directory, new NuclaJsonReader(), progress, ct);

    /// <summary>As <see cref="Load(string, IProgress{DatasetLoadProgress}?, CancellationToken)"/>, with a given reader (e.g. another size limit).</summary>
    public static DatasetLoadResult Load(string directory, NuclaJsonReader reader,
        IProgress<DatasetLoadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(reader);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"N-UCLA folder not found: {Path.GetFullPath(directory)} (expected the all_sqe folder of *.json files).");

        var files = Directory.GetFiles(directory, "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        // One slot per file, written by exactly one worker: no locking, and the order is the files' order.
        var samples = new SkeletonSample?[files.Length];
        var rejections = new string?[files.Length];
        int done = 0;
        progress?.Report(new DatasetLoadProgress(0, files.Length));

        // Reading is CPU-bound parsing of small files, so one worker per core; more only contends.
        var options = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct };
        Parallel.For(0, files.Length, options, i =>
        {
            try
            {
                samples[i] = ReadSample(files[i], reader);
            }
            catch (Exception ex) when (ex is SkeletonFormatException or FormatException or IOException or UnauthorizedAccessException)
            {
                rejections[i] = ex is SkeletonFormatException sfe ? $"{sfe.Position}: {sfe.Problem}" : ex.Message;
            }
            int n = Interlocked.Increment(ref done);
            progress?.Report(new DatasetLoadProgress(n, files.Length));
        });

        var loaded = samples.OfType<SkeletonSample>().OrderBy(s => s.Name, StringComparer.Ordinal).ToArray();
        var rejected = files.Zip(rejections)
            .Where(p => p.Second is not null)
            .Select(p => new RejectedFile(p.First, p.Second!))
            .ToArray();
        return new DatasetLoadResult(loaded, rejected);
    }

    /// <summary>Reads one file and checks it against its name: action code, label and a single body.</summary>
    /// <exception cref="FormatException">The name or the label does not fit N-UCLA.</exception>
    public static SkeletonSample ReadSample(string path, NuclaJsonReader reader)
    {
        string name = Path.GetFileNameWithoutExtension(path);
        var fileName = NuclaFileName.Parse(name);
        if (!NuclaClasses.TryIndexOfAction(fileName.Action, out int classIndex))
            throw new FormatException($"{name}: a{fileName.Action:D2} is not one of the ten N-UCLA actions.");

        var recording = reader.Read(path);
        if (recording.Label is not int label || label != classIndex + 1)
            throw new FormatException(
                $"{name}: label {recording.Label} disagrees with action a{fileName.Action:D2}, which is label {classIndex + 1} ({NuclaClasses.NameOf(classIndex)}).");
        if (recording.Bodies.Count != 1)
            throw new FormatException($"{name}: expected one body, got {recording.Bodies.Count}.");
        return new SkeletonSample(name, recording.Bodies[0].Sequence, classIndex, fileName.View, fileName.Subject);
    }
}
