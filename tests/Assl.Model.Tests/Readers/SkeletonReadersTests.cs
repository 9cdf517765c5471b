using Assl.Model.Readers;
using Frame = Assl.Model.Tests.Readers.AzureKinectFileBuilder.Frame;

namespace Assl.Model.Tests.Readers;

public sealed class SkeletonReadersTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string NuclaFile() => _temp.Write("a01_s01_e00_v01.json",
        "{\"file_name\": \"a01_s01_e00_v01\", \"skeletons\": [[" +
        string.Join(", ", Enumerable.Range(0, 20).Select(j => $"[0.1, {j}, 3]")) + "]], \"label\": 1}");

    [Fact]
    public void PicksReaderByExtensionAndContent()
    {
        var nucla = NuclaFile();
        var ntu = _temp.Write("S001C001P001R001A001.skeleton", NtuFileBuilder.Build([1UL]));
        var azure = _temp.Write("take.json", AzureKinectFileBuilder.Build(false, new Frame(0, 1)));

        Assert.IsType<NuclaJsonReader>(SkeletonReaders.For(nucla));
        Assert.IsType<NtuSkeletonReader>(SkeletonReaders.For(ntu));
        Assert.IsType<AzureKinectJsonReader>(SkeletonReaders.For(azure));
        Assert.Equal(1, SkeletonReaders.Read(nucla).Label);
        Assert.Equal(25, SkeletonReaders.Read(ntu).Layout.JointCount);
        Assert.Equal(32, SkeletonReaders.Read(azure).Layout.JointCount);

        Assert.True(SkeletonReaders.All.Single(r => r.CanRead(nucla)) is NuclaJsonReader);
        Assert.True(SkeletonReaders.All.Single(r => r.CanRead(ntu)) is NtuSkeletonReader);
        Assert.True(SkeletonReaders.All.Single(r => r.CanRead(azure)) is AzureKinectJsonReader);
        Assert.Equal(["nucla-json", "ntu-skeleton", "azure-kinect-json"], SkeletonReaders.All.Select(r => r.FormatName));
    }

    [Fact]
    public void UnknownFormatsErrorClearly()
    {
        var csv = _temp.Write("clip.csv", "x,y,z\n");
        var ex = Assert.Throws<NotSupportedException>(() => SkeletonReaders.For(csv));
        Assert.Contains("'.csv'", ex.Message);
        Assert.Contains(".skeleton (NTU RGB+D)", ex.Message);

        var other = _temp.Write("other.json", "{\"people\": []}");
        var jsonEx = Assert.Throws<SkeletonFormatException>(() => SkeletonReaders.For(other));
        Assert.Contains("\"frames\"", jsonEx.Problem);
        Assert.Contains("\"skeletons\"", jsonEx.Problem);
        Assert.DoesNotContain(SkeletonReaders.All, r => r.CanRead(other));

        Assert.Throws<FileNotFoundException>(() => SkeletonReaders.For(Path.Combine(_temp.Path, "missing.json")));
    }

    [Fact]
    public void SizeLimitAppliesThroughTheDispatcher()
    {
        var nucla = NuclaFile();
        var ex = Assert.Throws<SkeletonFormatException>(() => SkeletonReaders.Read(nucla, maxFileBytes: 64));
        Assert.Equal("file size", ex.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => new NtuSkeletonReader(maxFileBytes: 0));
    }
}
