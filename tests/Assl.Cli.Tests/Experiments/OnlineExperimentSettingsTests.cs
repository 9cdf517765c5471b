using Assl.Cli.Experiments;

namespace Assl.Cli.Tests.Experiments;

public sealed class OnlineExperimentSettingsTests
{
    [Fact]
    public void AStartModelsFolderIsSharedByWorkFoldersAndNamesTheModelByRatioSeedAndEpochs()
    {
        var shared = Path.Combine("runs", "start-models");
        var a = new OnlineExperimentSettings("data", Path.Combine("runs", "a"), "results", LabelRatio: 0.15, Seed: 2, StartModelsDirectory: shared);
        var b = a with { WorkDirectory = Path.Combine("runs", "b") };

        Assert.Equal(Path.Combine(shared, "start-r0.15-s2-e40.assl"), a.StartModelPath);
        Assert.Equal(a.StartModelPath, b.StartModelPath);
        Assert.NotEqual(a.StartModelPath, (a with { Seed = 3 }).StartModelPath);
        Assert.NotEqual(a.StartModelPath, (a with { StartEpochs = 60 }).StartModelPath);
        // Without the folder, each work folder trains and keeps its own, as before.
        Assert.Equal(Path.Combine("runs", "a", "start-r0.15-s2-e40.assl"), (a with { StartModelsDirectory = null }).StartModelPath);
    }
}
