using Assl.Model.Datasets;

namespace Assl.Model.Tests.Datasets;

public sealed class NuclaFileNameTests
{
    [Theory]
    [InlineData("a01_s01_e00_v01", 1, 1, 0, 1)]
    [InlineData("a12_s10_e04_v03.json", 12, 10, 4, 3)]
    [InlineData("/data/all_sqe/a05_s03_e01_v02.json", 5, 3, 1, 2)]
    public void ParsesNames(string name, int action, int subject, int repetition, int view)
    {
        var parsed = NuclaFileName.Parse(name);
        Assert.Equal(new NuclaFileName(action, subject, repetition, view), parsed);
        Assert.Equal(Path.GetFileNameWithoutExtension(name), parsed.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a1_s01_e00_v01")]
    [InlineData("a01-s01-e00-v01")]
    [InlineData("b01_s01_e00_v01")]
    [InlineData("a01_s01_e00_v0x")]
    [InlineData("a01_s01_e00_v01_extra")]
    [InlineData("S001C001P001R001A001")]
    public void RejectsBadNames(string name)
    {
        var ex = Assert.Throws<FormatException>(() => NuclaFileName.Parse(name));
        Assert.Contains("aAA_sSS_eEE_vVV", ex.Message);
        Assert.False(NuclaFileName.TryParse(name, out _));
    }

    [Fact]
    public void ClassesFollowActionCodesAndLabels()
    {
        int[] codes = [1, 2, 3, 4, 5, 6, 8, 9, 11, 12];
        Assert.Equal(Enumerable.Range(0, 10), codes.Select(NuclaClasses.IndexOfAction));
        Assert.Equal(codes, Enumerable.Range(0, 10).Select(NuclaClasses.ActionOf));
        Assert.Equal("pick up with one hand", NuclaClasses.NameOf(0));
        Assert.Equal("donning", NuclaClasses.NameOf(NuclaClasses.IndexOfAction(8)));
        Assert.Equal("carry", NuclaClasses.NameOf(9));
        Assert.Equal(6, NuclaClasses.IndexOfLabel(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => NuclaClasses.IndexOfAction(7));
        Assert.Throws<ArgumentOutOfRangeException>(() => NuclaClasses.IndexOfAction(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => NuclaClasses.IndexOfLabel(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NuclaClasses.NameOf(10));
    }
}
