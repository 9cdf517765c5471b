using System.Text.RegularExpressions;
using Assl.Cli.Commands;
using Assl.Tests;

namespace Assl.Cli.Tests;

/// <summary>`assl bench inference-memory` on the shipped model and real N-UCLA windows.</summary>
public sealed class InferenceMemoryBenchTests
{
    [SkippableFact]
    public void PrintsResidentMemoryAsThePassesRun()
    {
        var output = new StringWriter();
        int exit = InferenceMemoryBenchCommand.Run(RealData.ShippedModel, passes: 8, InferenceMemoryBenchCommand.ParseSizes("1-8"), workers: 2,
            padToShapes: true, RealData.NuclaDirectory, output);

        string said = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("batches padded to shapes", said);
        Assert.Equal(8, Regex.Matches(said, @"passes, +\d+ windows").Count);
        var end = Regex.Match(said, @"end: RSS (\d+) MB \(peak (\d+) MB\); (\d+) windows/s");
        Assert.True(end.Success, said);
        Assert.True(int.Parse(end.Groups[1].Value) > 50, said);
        Assert.True(int.Parse(end.Groups[2].Value) >= int.Parse(end.Groups[1].Value), said);
    }

    [Fact]
    public void BatchSizesAreARangeOrAList()
    {
        Assert.Equal(Enumerable.Range(1, 64), InferenceMemoryBenchCommand.ParseSizes("1-64"));
        Assert.Equal([1, 2, 64], InferenceMemoryBenchCommand.ParseSizes("1,2,64"));
        Assert.Equal([32], InferenceMemoryBenchCommand.ParseSizes("32"));
        Assert.Throws<ArgumentException>(() => InferenceMemoryBenchCommand.ParseSizes("0-4"));
        Assert.Throws<ArgumentException>(() => InferenceMemoryBenchCommand.ParseSizes("8-2"));
        Assert.Throws<ArgumentException>(() => InferenceMemoryBenchCommand.ParseSizes("big"));
    }
}
