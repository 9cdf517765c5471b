using Assl.Model.Experiments.Comparison;
using Assl.Model.Networks;
using Assl.Model.Training;

namespace Assl.Model.Tests.Experiments.Comparison;

public sealed class SettingsDifferenceTests
{
    private static string Config(string name) => Path.Combine(Assl.Tests.RealData.RepositoryRoot, "configs", name);

    [Fact]
    public void TwoShippedConfigsDifferInExactlyTheSettingTheChildChanges()
    {
        var parent = TrainingConfigFile.Load(Config("assl_gcn_masked_student.json"));
        var child = TrainingConfigFile.Load(Config("assl_gcn_masked_student_lr4.json"));

        var change = Assert.Single(SettingsDifference.Between(parent, child));
        Assert.Equal(new SettingChange("learningRate", "0.001", "0.004"), change);
    }

    [Fact]
    public void SeedAndThreadsTellRunsApartAndAreNotSettingsDifferences() =>
        Assert.Empty(SettingsDifference.Between(new TrainingConfig(), new TrainingConfig { Seed = 4, Threads = 1 }));

    [Fact]
    public void NestedSettingsAreNamedByTheirPath()
    {
        var wide = new TrainingConfig { Encoder = new EncoderConfig { Hidden = 96 }, Augmentation = AugmentationConfig.Weak with { YawDegrees = 45 } };

        var changes = SettingsDifference.Between(new TrainingConfig(), wide).Select(c => c.Path).ToList();

        Assert.Contains("encoder.hidden", changes);
        Assert.Contains("augmentation.yawDegrees", changes);
        Assert.Equal(2, changes.Count);
    }
}
