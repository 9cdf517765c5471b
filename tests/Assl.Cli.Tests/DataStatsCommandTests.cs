using Assl.Cli.Commands;
using Assl.Tests;

namespace Assl.Cli.Tests;

public sealed class DataStatsCommandTests
{
    [SkippableFact]
    public void ReportsTheWholeNuclaDataset()
    {
        var output = new StringWriter();
        int code = DataStatsCommand.Run(RealData.NuclaDirectory, output);
        var text = output.ToString();

        Assert.Equal(0, code);
        Assert.Contains("1484 sequences read", text);
        Assert.Contains("0 rejected", text);
        Assert.Contains("10 classes, 3 views, 10 subjects, layout kinect-v1-20", text);
        Assert.Contains("total                             516      504      464     1484", text);
        Assert.Contains("2 with 1 frame", text);
        Assert.Contains("reading 1484/1484", text);
    }

    [Fact]
    public void ListsRejectedFilesWithTheirReason()
    {
        var dir = Directory.CreateTempSubdirectory("assl-stats-").FullName;
        try
        {
            var frame = "[" + string.Join(",", Enumerable.Repeat("[0.1,0.2,3.0]", 20)) + "]";
            File.WriteAllText(Path.Combine(dir, "a01_s01_e00_v01.json"), $"{{\"file_name\":\"a01_s01_e00_v01\",\"skeletons\":[{frame},{frame}],\"label\":1}}");
            File.WriteAllText(Path.Combine(dir, "a02_s01_e00_v02.json"), $"{{\"file_name\":\"a02_s01_e00_v02\",\"skeletons\":[{frame},");
            var output = new StringWriter();
            int code = DataStatsCommand.Run(dir, output);
            var text = output.ToString();

            Assert.Equal(0, code);
            Assert.Contains("1 sequences read", text);
            Assert.Contains("1 rejected", text);
            Assert.Contains("a02_s01_e00_v02.json:", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
