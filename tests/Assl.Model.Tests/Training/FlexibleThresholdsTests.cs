using Assl.Model.Training;
using static TorchSharp.torch;

namespace Assl.Model.Tests.Training;

public sealed class FlexibleThresholdsTests
{
    /// <summary>Logits whose softmax puts <paramref name="confidence"/> on <paramref name="cls"/> of three classes.</summary>
    private static float[] Row(int cls, double confidence)
    {
        // p = e^a / (e^a + 2) for the chosen class, 0 for the others.
        float a = (float)Math.Log(2 * confidence / (1 - confidence));
        var row = new float[3];
        row[cls] = a;
        return row;
    }

    private static void Observe(FlexibleThresholds bars, long[] rows, params (int Class, double Confidence)[] predictions)
    {
        using var scope = NewDisposeScope();
        var logits = tensor(predictions.SelectMany(p => Row(p.Class, p.Confidence)).ToArray(), [predictions.Length, 3]);
        bars.Observe(tensor(rows), logits);
    }

    [Fact]
    public void EveryBarStartsAtZeroWhileNoClipHasBeenConfident()
    {
        var bars = new FlexibleThresholds(unlabelledCount: 10, classes: 3, threshold: 0.9);
        Assert.Equal([0.0, 0.0, 0.0], bars.Bars());
        Observe(bars, [0, 1], (0, 0.5), (1, 0.89)); // below the fixed bar: nothing is remembered
        Assert.Equal([0.0, 0.0, 0.0], bars.Bars());
    }

    [Fact]
    public void TheMostConfidentlyPredictedClassKeepsTheFixedBarOnceMostClipsAreConfident()
    {
        var bars = new FlexibleThresholds(unlabelledCount: 10, classes: 3, threshold: 0.9);
        // Six clips confidently class 0, two class 1, none class 2; two never confident.
        Observe(bars, [0, 1, 2, 3, 4, 5, 6, 7], (0, 0.99), (0, 0.99), (0, 0.99), (0, 0.99), (0, 0.99), (0, 0.99), (1, 0.95), (1, 0.95));
        var b = bars.Bars();
        Assert.Equal(0.9, b[0], 6);
        double beta = 2.0 / 6;
        Assert.Equal(0.9 * beta / (2 - beta), b[1], 6);
        Assert.Equal(0.0, b[2], 6);
    }

    [Fact]
    public void UnconfidentClipsHoldEveryBarDownDuringTheWarmUp()
    {
        var bars = new FlexibleThresholds(unlabelledCount: 10, classes: 3, threshold: 0.9);
        Observe(bars, [0, 1], (0, 0.99), (0, 0.99)); // 8 clips still never confident
        double beta = 2.0 / 8;
        Assert.Equal(0.9 * beta / (2 - beta), bars.Bars()[0], 6);
    }

    [Fact]
    public void AClipRememberedAgainCountsOnceForItsNewClass()
    {
        var bars = new FlexibleThresholds(unlabelledCount: 2, classes: 3, threshold: 0.9);
        Observe(bars, [0, 1], (0, 0.99), (0, 0.99));
        Observe(bars, [1], (2, 0.99)); // clip 1 moves from class 0 to class 2
        var b = bars.Bars();
        Assert.Equal(0.9, b[0], 6);
        Assert.Equal(0.9, b[2], 6);
        Observe(bars, [1], (1, 0.5)); // an unsure prediction keeps what the clip was last confidently
        Assert.Equal(b, bars.Bars());
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlexibleThresholds(0, 3, 0.9));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FlexibleThresholds(5, 3, 1.5));
        var bars = new FlexibleThresholds(5, 3, 0.9);
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => bars.Observe(tensor(new long[] { 0 }), zeros(2, 3)));
    }
}
