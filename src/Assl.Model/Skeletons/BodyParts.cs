namespace Assl.Model.Skeletons;

/// <summary>
/// Splits a layout's joints into body parts (torso, head, each arm, each leg) from its kinematic tree,
/// so masking "a group of joints" hides a limb rather than scattered joints.
/// </summary>
public static class BodyParts
{
    /// <summary>
    /// Groups of joint indices: a part starts at each child of a branching joint (one with several
    /// children) and runs down its chain; parts of a single joint merge into their parent's part.
    /// </summary>
    public static IReadOnlyList<int[]> Of(JointLayout layout)
    {
        int n = layout.JointCount;
        var children = new List<int>[n];
        for (int j = 0; j < n; j++) children[j] = [];
        int root = -1;
        for (int j = 0; j < n; j++)
        {
            int p = layout.Parents[j];
            if (p < 0) root = j;
            else children[p].Add(j);
        }

        var partOf = new int[n];
        var parts = new List<List<int>>();
        void Walk(int joint, int part)
        {
            partOf[joint] = part;
            parts[part].Add(joint);
            foreach (int child in children[joint])
            {
                if (children[joint].Count > 1)
                {
                    parts.Add([]);
                    Walk(child, parts.Count - 1);
                }
                else
                {
                    Walk(child, part);
                }
            }
        }
        parts.Add([]);
        Walk(root, 0);

        // A one-joint part (a hand tip, an ear) is too small to mask on its own: fold it into its parent's.
        for (int i = parts.Count - 1; i > 0; i--)
        {
            if (parts[i].Count != 1) continue;
            int joint = parts[i][0];
            int parentPart = partOf[layout.Parents[joint]];
            parts[parentPart].Add(joint);
            partOf[joint] = parentPart;
            parts.RemoveAt(i);
            for (int j = 0; j < n; j++) if (partOf[j] > i) partOf[j]--;
        }
        return parts.Select(p => p.Order().ToArray()).ToArray();
    }
}
