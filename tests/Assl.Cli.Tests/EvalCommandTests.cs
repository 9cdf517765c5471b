using Assl.Cli.Commands;
using Assl.Model.Checkpoints;
using Assl.Tests;

namespace Assl.Cli.Tests;

public sealed class EvalCommandTests
{
    private static string ShippedModel => Path.Combine(RealData.RepositoryRoot, "models", "nucla-default.assl");

    [SkippableFact]
    public void TheShippedModelScoresOnView3WhatItsManifestSaysAndTestTimeViewsAreAveraged()
    {
        var data = RealData.NuclaDirectory;
        var folder = Directory.CreateTempSubdirectory("assl-eval-").FullName;
        try
        {
            var manifest = CheckpointFile.ReadManifest(ShippedModel);
            var plain = new StringWriter();
            Assert.Equal(0, EvalCommand.Run(ShippedModel, data, "3", folder, plain, CancellationToken.None));
            Assert.Contains($"top-1: {manifest.Metrics["top1_view3"]:P1}", plain.ToString());
            Assert.Contains("on 464 sequences (views 3)", plain.ToString());
            Assert.True(new FileInfo(Path.Combine(folder, "confusion.png")).Length > 0);

            var turned = new StringWriter();
            Assert.Equal(0, EvalCommand.Run(ShippedModel, data, "3", null, turned, CancellationToken.None,
                EvalCommand.TestTimeViewsOf("60", cropFraction: 0.9)));
            Assert.Contains("(probabilities averaged over 5 views of each clip)", turned.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TestTimeFlagsTurnBothWaysAndRefuseWhatIsNotAnAngle()
    {
        Assert.Null(EvalCommand.TestTimeViewsOf(null, null));
        Assert.Equal([-15.0, 15.0, -30.0, 30.0], EvalCommand.TestTimeViewsOf("15, 30", null)!.YawDegrees!);
        Assert.Contains("'left' is not a number", Assert.Throws<ArgumentException>(() => EvalCommand.TestTimeViewsOf("left", null)).Message);
        Assert.Contains("CropFraction", Assert.Throws<ArgumentException>(() => EvalCommand.TestTimeViewsOf(null, 1.5)).Message);
    }
}
