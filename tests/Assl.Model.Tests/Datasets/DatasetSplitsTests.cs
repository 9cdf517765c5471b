using Assl.Model.Datasets;
using Assl.Model.Skeletons;

namespace Assl.Model.Tests.Datasets;

public sealed class DatasetSplitsTests
{
    private static readonly SkeletonSequence OneFrame = new(JointLayouts.KinectV1, new float[60]);

    /// <summary>Per class c, <paramref name="perClass"/>[c] samples over views 1..3.</summary>
    private static SkeletonSample[] Samples(params int[] perClass) =>
        perClass.SelectMany((n, c) => Enumerable.Range(0, n).Select(i =>
            new SkeletonSample($"c{c}_{i:D3}", OneFrame, c, View: i % 3 + 1, Subject: 1))).ToArray();

    [Fact]
    public void CrossViewSeparatesViews()
    {
        var samples = Samples(9, 9);
        var (train, test) = DatasetSplits.CrossView(samples);
        Assert.Equal(12, train.Count);
        Assert.Equal(6, test.Count);

        var (train2, test2) = DatasetSplits.CrossView(samples, [1], testView: 2);
        Assert.All(train2, s => Assert.Equal(1, s.View));
        Assert.All(test2, s => Assert.Equal(2, s.View));
        Assert.Throws<ArgumentException>(() => DatasetSplits.CrossView(samples, [1, 3], testView: 3));
    }

    [Theory]
    [InlineData(0.1, new[] { 10, 2, 1 })]
    [InlineData(0.15, new[] { 15, 2, 1 })]
    [InlineData(1.0, new[] { 100, 12, 3 })]
    public void LabelsTheCeilingPerClassAndAtLeastOne(double ratio, int[] expected)
    {
        var split = LabelSplit.Create(Samples(100, 12, 3), ratio, seed: 7);
        Assert.Equal(expected, split.Labelled.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.Equal(115, split.Labelled.Count + split.Unlabelled.Count);
        Assert.Empty(split.Labelled.Intersect(split.Unlabelled));
    }

    [Fact]
    public void IsDeterministicAndIndependentOfInputOrder()
    {
        var samples = Samples(40, 40);
        var a = LabelSplit.Create(samples, 0.25, seed: 3);
        var shuffled = samples.OrderBy(s => s.Name.GetHashCode(StringComparison.Ordinal)).ToArray();
        var b = LabelSplit.Create(shuffled, 0.25, seed: 3);
        var c = LabelSplit.Create(samples, 0.25, seed: 4);
        Assert.Equal(a.Labelled, b.Labelled);
        Assert.Equal(a.Unlabelled, b.Unlabelled);
        Assert.NotEqual(a.Labelled, c.Labelled);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void RejectsRatiosOutsideZeroToOne(double ratio) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LabelSplit.Create(Samples(3), ratio, seed: 1));
}
