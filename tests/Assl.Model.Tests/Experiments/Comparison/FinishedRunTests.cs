using Assl.Model.Experiments.Comparison;
using Assl.Model.Training;

namespace Assl.Model.Tests.Experiments.Comparison;

public sealed class FinishedRunTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("assl-finished-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(TrainingConfig config, string? metrics)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_dir, Guid.NewGuid().ToString("N"))).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), TrainingConfigFile.ToJson(config));
        if (metrics is not null) File.WriteAllText(Path.Combine(folder, "metrics.json"), metrics);
        return folder;
    }

    [Fact]
    public void AFinishedRunGivesItsTop1AndTheSettingsItTrainedWithAtItsLabelRatio()
    {
        // The shipped lr2 file doubles the rate only above 10 % labels: at 15 % its runs train at 0.002.
        var config = TrainingConfigFile.Load(Path.Combine(Assl.Tests.RealData.RepositoryRoot, "configs",
            "assl_gcn_masked_student_pseudo_label_flexible_low_labels_lr2.json")) with { LabelRatio = 0.15, Seed = 3 };
        var folder = Folder(config, """{ "top1": 0.7412, "epochs": 40, "cancelled": false }""");

        var run = FinishedRun.Read(folder);

        Assert.Equal(0.7412, run.Top1);
        Assert.Equal(3, run.Config.Seed);
        Assert.Equal(0.002, run.Config.LearningRate);
        Assert.Null(run.Config.AboveLabelRatio);
    }

    [Theory]
    [InlineData(null, "no metrics.json")]
    [InlineData("""{ "top1": 0.5, "epochs": 40, "cancelled": true }""", "stopped before its last epoch")]
    [InlineData("""{ "top1": 0.5, "epochs": 12, "cancelled": false }""", "trained 12 of its 40 epochs")]
    [InlineData("""{ "epochs": 40 }""", "no top1")]
    [InlineData("""{ "top1": 0.5, "cancelled": false }""", "no epochs")]
    [InlineData("""{ "top1": 0.5, "epo""", "not valid JSON")]
    public void AFolderWithoutAFinishedRunIsRefusedWithTheReason(string? metrics, string reason)
    {
        var folder = Folder(new TrainingConfig(), metrics);

        var error = Assert.Throws<InvalidDataException>(() => FinishedRun.Read(folder));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void AFolderThatIsNoTrainingOutputIsRefused()
    {
        var error = Assert.Throws<InvalidDataException>(() => FinishedRun.Read(_dir));
        Assert.Contains("no config.json", error.Message);
        Assert.Contains("no such folder", Assert.Throws<InvalidDataException>(() => FinishedRun.Read(Path.Combine(_dir, "absent"))).Message);
    }
}
