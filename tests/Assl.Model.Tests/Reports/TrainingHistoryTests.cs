using Assl.Model.Reports;

namespace Assl.Model.Tests.Reports;

public sealed class TrainingHistoryTests
{
    [Fact]
    public void JsonRoundTripKeepsEveryField()
    {
        var history = new TrainingHistory();
        history.Add(new EpochRecord(1, new() { ["total"] = 2.5, ["contrastive"] = 1.75 }, null, 0.1, 12.5));
        history.Add(new EpochRecord(2, new() { ["total"] = 1.25, ["contrastive"] = 0.5, ["reconstruction"] = double.NaN }, 0.625, 0.05, 11.0));

        var back = TrainingHistory.FromJson(history.ToJson());

        Assert.Equal(2, back.Epochs.Count);
        for (int i = 0; i < 2; i++)
        {
            EpochRecord a = history.Epochs[i], b = back.Epochs[i];
            Assert.Equal(a.Epoch, b.Epoch);
            Assert.Equal(a.ValidationTop1, b.ValidationTop1);
            Assert.Equal(a.LearningRate, b.LearningRate);
            Assert.Equal(a.Seconds, b.Seconds);
            Assert.Equal(a.Losses.OrderBy(kv => kv.Key), b.Losses.OrderBy(kv => kv.Key));
        }
        // Loss names keep their case (no naming policy on dictionary keys) and NaN survives.
        Assert.True(double.IsNaN(back.Epochs[1].Losses["reconstruction"]));
        Assert.Equal(["total", "contrastive", "reconstruction"], back.LossNames());
    }

    [Fact]
    public void SaveWritesAtomicallyAndLoadReadsBack()
    {
        string dir = Path.Combine(Path.GetTempPath(), "assl-history-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "nested", "history.json");
            var history = new TrainingHistory();
            history.Add(new EpochRecord(1, new() { ["total"] = 1.0 }, 0.5, 0.1, 1.0));
            history.Save(path);
            history.Add(new EpochRecord(2, new() { ["total"] = 0.5 }, 0.75, 0.1, 1.0));
            history.Save(path); // overwrite

            Assert.Equal(2, TrainingHistory.Load(path).Epochs.Count);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            if (Directory.Exists(dir))
                Directory.Delete(dir, recursive: true);
        }
    }
}
