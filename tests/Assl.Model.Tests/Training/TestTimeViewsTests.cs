using Assl.Model.Datasets;
using Assl.Model.Networks;
using Assl.Model.Tests.Datasets;
using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

public sealed class TestTimeViewsTests(NuclaFixture nucla) : IClassFixture<NuclaFixture>
{
    [Fact]
    public void ATurnRotatesEveryJointAboutTheVerticalAxisAndTheOppositeTurnUndoesIt()
    {
        // One clip, two frames, two joints: (x, y, z) triples.
        using var clip = tensor(new float[] { 1, 2, 3, 4, 5, 6, -1, 0.5f, 2, 0, -3, 1 }, [1, 2, 6]);

        using var quarter = TestTimeViews.Turn(clip, 90);
        var turned = quarter.data<float>().ToArray();
        // Ry(90°): x' = z, y' = y, z' = −x.
        float[] expected = [3, 2, -1, 6, 5, -4, 2, 0.5f, 1, 1, -3, 0];
        for (int i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], turned[i], 5);

        using var there = TestTimeViews.Turn(clip, 37);
        using var back = TestTimeViews.Turn(there, -37);
        Assert.True(back.allclose(clip, rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void ACropResamplesItsShareOfTheFramesBackToTheClipsLength()
    {
        // Five frames whose every channel holds the frame's index, so a resampled frame holds its source position.
        using var clip = arange(5, ScalarType.Float32).reshape(1, 5, 1).expand(2, 5, 3).contiguous();

        using var first = TestTimeViews.Crop(clip, 0, 0.5);
        using var last = TestTimeViews.Crop(clip, 0.5, 0.5);

        Assert.Equal(clip.shape, first.shape);
        Assert.Equal(new float[] { 0, 0.5f, 1, 1.5f, 2 }, first[1, .., 2].data<float>().ToArray());
        Assert.Equal(new float[] { 2, 2.5f, 3, 3.5f, 4 }, last[0, .., 0].data<float>().ToArray());
    }

    [Fact]
    public void TheAverageWeighsTheClipAndEveryViewAlike()
    {
        using var clip = tensor(new float[] { 1, 0, 2, 5, 0, -4 }, [2, 1, 3]);
        var views = new TestTimeViews([-90, 90]);

        // A "model" that answers with the joint's x: the clip gives x, +90° gives z, −90° gives −z.
        using var mean = views.Average(clip, batch => batch[.., 0, ..1].clone());

        Assert.Equal(3, views.Count);
        Assert.Equal(new float[] { 1f / 3, 5f / 3 }, mean.flatten().data<float>().ToArray(), new FloatTolerance(1e-5f));
        Assert.Equal(4, new TestTimeViews([15], 0.9).Count); // the clip, one turn, two crops
    }

    [Theory]
    [InlineData(double.NaN, null)]
    [InlineData(200.0, null)]
    [InlineData(15.0, 1.0)]
    [InlineData(15.0, 0.0)]
    public void OutOfRangeViewsAreRefusedByName(double yaw, double? crop)
    {
        var e = Assert.Throws<ArgumentException>(() => new TestTimeViews([yaw], crop).Validate());
        Assert.Contains("TestTimeViews", e.Message);
        var config = new TrainingConfig { TestTimeViews = new TestTimeViews([yaw], crop) };
        Assert.Throws<ArgumentException>(config.Validate);
    }

    [SkippableFact]
    public void EvaluationWithNoExtraViewIsPlainEvaluationAndWithViewsAveragesTheirProbabilities()
    {
        var samples = nucla.Result.Samples.Where(s => s.View == 3).Take(40).ToArray();
        using var set = EvaluationSet.Of(samples, frames: 20);
        manual_seed(7);
        using var network = new AsslNetwork(new AsslNetworkConfig(60, NuclaClasses.Count, new EncoderConfig(Hidden: 16, Layers: 1), 8));

        var plain = set.Evaluate(network);
        Assert.Equal(plain.Probabilities, set.Evaluate(network, new TestTimeViews([])).Probabilities);

        var views = new TestTimeViews([-60, 60]);
        var averaged = set.Evaluate(network, views);
        using var expected = views.Average(set.Windows, w =>
        {
            network.eval();
            using var _ = no_grad();
            return nn.functional.softmax(network.forward(w), 1);
        });
        Assert.Equal(expected.flatten().data<float>().ToArray(), averaged.Probabilities, new FloatTolerance(1e-5f));
        Assert.NotEqual(plain.Probabilities, averaged.Probabilities);
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(float value) => 0;
    }
}
