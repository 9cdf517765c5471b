using Assl.Model.Experiments.Comparison;
using Assl.Model.Training;

namespace Assl.Model.Experiments.Benchmark;

/// <summary>
/// A finished benchmark run whose folder still holds its model: what a run that trains exactly as it did (another
/// variant whose settings come to the same at this label ratio, or one that differs only in how it is evaluated,
/// <see cref="TrainingConfig.TestTimeViews"/>) reads instead of training the same weights again.
/// </summary>
/// <param name="Folder">The run's folder under runs/bench (config.json, metrics.json, model.assl, history.json).</param>
/// <param name="Record">Its row in nucla.json: the seconds its training took.</param>
public sealed record TrainedRun(string Folder, BenchmarkRecord Record)
{
    /// <summary>
    /// The recorded run that trained exactly as <paramref name="config"/> does (every setting equal, as each run
    /// trains them at its label ratio, but the test-time views), finished all its epochs and kept its model; null
    /// when there is none, and the run must train.
    /// </summary>
    public static TrainedRun? Find(BenchmarkResults store, string benchDirectory, TrainingConfig config)
    {
        var wanted = TrainingConfigFile.ToJson(AsTrained(config));
        foreach (var record in store.Records)
        {
            var folder = Path.Combine(benchDirectory, record.ToSpec().Folder);
            if (!File.Exists(Path.Combine(folder, ExperimentRunner.ModelFile))) continue;
            FinishedRun trained;
            try
            {
                trained = FinishedRun.Read(folder); // all its epochs, not cancelled; its config resolved at its ratio
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                continue;
            }
            if (TrainingConfigFile.ToJson(AsTrained(trained.Config)) == wanted)
                return new TrainedRun(folder, record);
        }
        return null;
    }

    /// <summary>What decides the weights a config trains: its settings at its label ratio, without the evaluation's views.</summary>
    private static TrainingConfig AsTrained(TrainingConfig config) => config.AtItsLabelRatio() with { TestTimeViews = null };
}
