using Assl.Model.Skeletons;

namespace Assl.Model.Preprocessing;

/// <summary>Body parts (head, arms, legs) derived from a layout's kinematic tree, for masking.</summary>
/// <remarks>
/// The trunk is the path from the root to the lowest common ancestor of the two shoulders; every subtree
/// hanging off the trunk is one group. That gives head, left arm, right arm, left leg and right leg for all
/// three layouts without per-device lists (hand tips, clavicles and face joints fall into their limb).
/// The trunk is never a group: it carries the normalisation axes.
/// </remarks>
public static class JointGroups
{
    /// <summary>Joints on the root→shoulders path.</summary>
    public static IReadOnlyList<int> Trunk(JointLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var leftAncestors = new HashSet<int>(PathToRoot(layout, layout.Normalisation.LeftShoulder));
        int common = PathToRoot(layout, layout.Normalisation.RightShoulder).First(leftAncestors.Contains);
        var trunk = PathToRoot(layout, common).ToList();
        trunk.Sort();
        return trunk;
    }

    /// <summary>The subtrees hanging off the trunk, each sorted, ordered by their first joint.</summary>
    public static IReadOnlyList<int[]> Limbs(JointLayout layout)
    {
        var trunk = new HashSet<int>(Trunk(layout));
        var parents = layout.Parents;
        var groups = new List<int[]>();
        for (int j = 0; j < layout.JointCount; j++)
        {
            if (trunk.Contains(j) || !trunk.Contains(parents[j])) continue;
            int top = j;
            groups.Add(Enumerable.Range(0, layout.JointCount).Where(k => PathToRoot(layout, k).Contains(top)).ToArray());
        }
        return groups;
    }

    private static IEnumerable<int> PathToRoot(JointLayout layout, int joint)
    {
        for (int j = joint; j >= 0; j = layout.Parents[j])
            yield return j;
    }
}
