using Assl.Model.Datasets;
using Assl.Tests;
using Xunit.Abstractions;

namespace Assl.Model.Tests.Datasets;

public sealed class NuclaRealDataTests(NuclaFixture nucla, ITestOutputHelper output) : IClassFixture<NuclaFixture>
{
    [SkippableFact]
    public void LoadsEveryFile()
    {
        var result = nucla.Result;
        output.WriteLine($"Loaded {result.Samples.Count} N-UCLA files in {nucla.Elapsed.TotalMilliseconds:F0} ms " +
            $"on {Environment.ProcessorCount} cores.");

        Assert.Empty(result.Rejected);
        Assert.Equal(1484, result.Samples.Count);
        Assert.Equal(Enumerable.Range(0, 10), result.Samples.Select(s => s.ClassIndex).Distinct().Order());
        Assert.Equal([1, 2, 3], result.Samples.Select(s => s.View).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 10), result.Samples.Select(s => s.Subject).Distinct().Order());
        Assert.Equal(result.Samples.Select(s => s.Name).Order(StringComparer.Ordinal), result.Samples.Select(s => s.Name));
        Assert.Equal(1, result.Samples.Min(s => s.Sequence.FrameCount));
        Assert.Equal(201, result.Samples.Max(s => s.Sequence.FrameCount));
    }

    [SkippableFact]
    public void KnownSampleHasItsNameFields()
    {
        var sample = nucla.Result.Samples.Single(s => s.Name == "a05_s03_e01_v02");
        Assert.Equal(4, sample.ClassIndex);
        Assert.Equal("sit down", NuclaClasses.NameOf(sample.ClassIndex));
        Assert.Equal(2, sample.View);
        Assert.Equal(3, sample.Subject);
        Assert.Equal(28, sample.Sequence.FrameCount);
    }

    [SkippableFact]
    public void CrossViewSplitsTheStandardWay()
    {
        var (train, test) = DatasetSplits.CrossView(nucla.Result.Samples);
        Assert.Equal(1020, train.Count);
        Assert.Equal(464, test.Count);
        Assert.All(train, s => Assert.Contains(s.View, new[] { 1, 2 }));
        Assert.All(test, s => Assert.Equal(3, s.View));
    }

    [SkippableTheory]
    // Cross-view training set per class: 102, 102, 96, 124, 101, 102, 99, 99, 98, 97.
    [InlineData(0.05, new[] { 6, 6, 5, 7, 6, 6, 5, 5, 5, 5 })]
    [InlineData(0.15, new[] { 16, 16, 15, 19, 16, 16, 15, 15, 15, 15 })]
    public void LabelSplitTakesTheCeilingPerClass(double ratio, int[] expected)
    {
        var (train, _) = DatasetSplits.CrossView(nucla.Result.Samples);
        var split = LabelSplit.Create(train, ratio, seed: 1);

        var perClass = split.Labelled.GroupBy(s => s.ClassIndex).OrderBy(g => g.Key).Select(g => g.Count());
        Assert.Equal(expected, perClass);
        Assert.Equal(train.Count, split.Labelled.Count + split.Unlabelled.Count);
        Assert.Empty(split.Labelled.Intersect(split.Unlabelled));
        Assert.Equal(train.Select(s => s.Name).Order(), split.Labelled.Concat(split.Unlabelled).Select(s => s.Name).Order());

        var again = LabelSplit.Create(train.Reverse().ToArray(), ratio, seed: 1);
        Assert.Equal(split.Labelled.Select(s => s.Name), again.Labelled.Select(s => s.Name));
        var other = LabelSplit.Create(train, ratio, seed: 2);
        Assert.NotEqual(split.Labelled.Select(s => s.Name), other.Labelled.Select(s => s.Name));
    }
}
