using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Preprocessing;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

public sealed class EvaluationSetTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    [SkippableFact]
    public void HoldsTheSamplesPreprocessedAsOneWindowEachAndMeasuresLikeTheTrainer()
    {
        var samples = nucla.Result.Samples.Where(s => s.View == 3).Take(12).ToArray();
        using var set = EvaluationSet.Of(samples, frames: 20);
        Assert.Equal(new long[] { 12, 20, 60 }, set.Windows.shape);
        Assert.Equal(samples.Select(s => (long)s.ClassIndex), set.Labels.data<long>().ToArray());
        var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = 20 });
        Assert.Equal(preprocessor.Process(samples[5].Sequence).ToArray(), set.Windows[5].flatten().data<float>().ToArray());

        manual_seed(4);
        using var network = new AsslNetwork(new AsslNetworkConfig(60, NuclaClasses.Count, new EncoderConfig(Hidden: 16, Layers: 1), 8));
        using var labels = set.Labels.clone();
        Assert.Equal(AsslTrainer.Evaluate(network, set.Windows, labels).Top1, set.Top1(network));
    }

    [Fact]
    public void AnEmptySetIsRefused() =>
        Assert.Throws<ArgumentException>(() => EvaluationSet.Of([], frames: 20));
}
