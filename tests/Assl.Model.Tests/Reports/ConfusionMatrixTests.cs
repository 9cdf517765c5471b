using Assl.Model.Reports;

namespace Assl.Model.Tests.Reports;

public sealed class ConfusionMatrixTests
{
    private static readonly string[] Abc = ["a", "b", "c"];

    [Fact]
    public void CountsAndAccuraciesMatchAHandWorkedCase()
    {
        // truth:     a a a a b b c c c c
        // predicted: a a a b b a c c c b
        int[] truth = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
        int[] predicted = [0, 0, 0, 1, 1, 0, 2, 2, 2, 1];

        var m = new ConfusionMatrix(truth, predicted, Abc);

        Assert.Equal(new[] { 3, 1, 0 }, m.Counts[0]);
        Assert.Equal(new[] { 1, 1, 0 }, m.Counts[1]);
        Assert.Equal(new[] { 0, 1, 3 }, m.Counts[2]);
        Assert.Equal(1, m[2, 1]);
        Assert.Equal(10, m.Total);
        Assert.Equal(7, m.Correct);
        Assert.Equal(0.7, m.Top1, 12);
        Assert.Equal(new[] { 4, 2, 4 }, m.Support);
        Assert.Equal(0.75, m.PerClassAccuracy[0]!.Value, 12);
        Assert.Equal(0.5, m.PerClassAccuracy[1]!.Value, 12);
        Assert.Equal(0.75, m.PerClassAccuracy[2]!.Value, 12);
        Assert.Equal((0.75 + 0.5 + 0.75) / 3, m.MeanClassAccuracy, 12);

        double[,] share = m.RowNormalised();
        Assert.Equal(0.75, share[0, 0], 12);
        Assert.Equal(0.25, share[0, 1], 12);
        Assert.Equal(0.5, share[1, 0], 12);
    }

    [Fact]
    public void ClassWithoutSamplesHasNullAccuracyAndNoNaN()
    {
        // Class "b" never occurs as truth but is predicted once.
        int[] truth = [0, 0, 2, 2];
        int[] predicted = [0, 1, 2, 2];

        var m = new ConfusionMatrix(truth, predicted, Abc);

        Assert.Equal(0, m.Support[1]);
        Assert.Null(m.PerClassAccuracy[1]);
        Assert.Equal(0.5, m.PerClassAccuracy[0]!.Value, 12);
        Assert.Equal(1.0, m.PerClassAccuracy[2]!.Value, 12);
        // Balanced accuracy averages measured classes only.
        Assert.Equal(0.75, m.MeanClassAccuracy, 12);
        Assert.Equal(0.75, m.Top1, 12);
        double[,] share = m.RowNormalised();
        Assert.All(share.Cast<double>(), v => Assert.True(double.IsFinite(v)));
        Assert.Equal(0.0, share[1, 1]);

        string json = m.ToJson();
        Assert.DoesNotContain("NaN", json);
    }

    [Fact]
    public void EmptyMatrixHasZeroTop1()
    {
        var m = new ConfusionMatrix(Array.Empty<int>(), Array.Empty<int>(), Abc);
        Assert.Equal(0, m.Total);
        Assert.Equal(0.0, m.Top1);
        Assert.Equal(0.0, m.MeanClassAccuracy);
        Assert.All(m.PerClassAccuracy, a => Assert.Null(a));
    }

    [Fact]
    public void RejectsLabelsOutsideTheClassList()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix([0, 3], [0, 0], Abc));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfusionMatrix([0, 0], [0, -1], Abc));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix([0, 0], [0], Abc));
    }

    [Fact]
    public void JsonRoundTripKeepsCountsAndDerivedValues()
    {
        var m = new ConfusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], Abc);

        string json = m.ToJson();
        var back = ConfusionMatrix.FromJson(json);

        Assert.Equal(m.ClassNames, back.ClassNames);
        for (int t = 0; t < 3; t++)
            Assert.Equal(m.Counts[t], back.Counts[t]);
        Assert.Equal(m.Top1, back.Top1);
        Assert.Equal(m.PerClassAccuracy, back.PerClassAccuracy);
        Assert.Contains("\"top1\"", json);
        Assert.Contains("\"perClassAccuracy\"", json);
    }
}
