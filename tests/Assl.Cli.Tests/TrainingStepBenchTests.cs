using System.Text.Json.Nodes;
using Assl.Cli.Commands;
using Assl.Model.Networks;
using Assl.Model.Training;
using Assl.Tests;

namespace Assl.Cli.Tests;

public sealed class TrainingStepBenchTests
{
    [SkippableFact]
    public void TimesThePassesTheConfigTrainsAtTheGivenLabelRatio()
    {
        var config = new TrainingConfig
        {
            Encoder = new EncoderConfig(Hidden: 16, Layers: 1),
            TranslationDim = 16,
            Frames = 20,
            BatchSize = 8,
            InpaintingSamples = InpaintingSamples.Unlabelled,
            ConsistencyStudent = ConsistencyStudent.MaskedStrong,
            AboveLabelRatio = new LabelRatioSettings(0.10, new JsonObject { ["consistencyStudent"] = "strong" }),
        };

        string Timed(double labels)
        {
            var output = new StringWriter();
            Assert.Equal(0, TrainingStepBenchCommand.Run(config with { LabelRatio = labels, Threads = 2 }, 0.1, RealData.NuclaDirectory, output));
            return output.ToString();
        }

        var few = Timed(0.05);
        Assert.Contains("5 % labels", few);
        Assert.Contains("(joint + masked)", few);
        var more = Timed(0.15);
        Assert.Contains("15 % labels", more);
        Assert.Contains("(joint + masked + strong view)", more);
    }
}
