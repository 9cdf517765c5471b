using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;

namespace Assl.Model.Tests.Preprocessing;

public sealed class JointGroupsTests
{
    public static TheoryData<string> Layouts => [.. JointLayouts.All.Select(l => l.Id)];

    [Theory]
    [MemberData(nameof(Layouts))]
    public void HeadArmsAndLegsPartitionEverythingButTheTrunk(string id)
    {
        var layout = JointLayouts.Get(id);

        var trunk = JointGroups.Trunk(layout);
        var limbs = JointGroups.Limbs(layout);

        Assert.Equal(5, limbs.Count);
        var all = trunk.Concat(limbs.SelectMany(g => g)).ToList();
        Assert.Equal(layout.JointCount, all.Count);
        Assert.Equal(Enumerable.Range(0, layout.JointCount), all.Order());
        Assert.Contains(layout.Normalisation.Hip, trunk);
        Assert.Contains(layout.Normalisation.Spine, trunk);
    }

    [Fact]
    public void KinectV1GroupsAreTheExpectedLimbs()
    {
        var limbs = JointGroups.Limbs(JointLayouts.KinectV1);

        Assert.Equal([0, 1, 2], JointGroups.Trunk(JointLayouts.KinectV1));
        Assert.Equal([3], limbs[0]);
        Assert.Equal([4, 5, 6, 7], limbs[1]);
        Assert.Equal([8, 9, 10, 11], limbs[2]);
        Assert.Equal([12, 13, 14, 15], limbs[3]);
        Assert.Equal([16, 17, 18, 19], limbs[4]);
    }
}
