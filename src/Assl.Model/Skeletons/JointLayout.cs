namespace Assl.Model.Skeletons;

/// <summary>
/// A device's skeleton: joint names in the order the device reports them, the kinematic tree
/// (each joint's parent, -1 for the root), the coordinate convention, and the joints that the
/// view normalisation needs.
/// </summary>
public sealed class JointLayout
{
    private readonly string[] _names;
    private readonly int[] _parents;
    private readonly Dictionary<string, int> _indexByName;

    public JointLayout(string id, string displayName, string[] names, int[] parents,
        CoordinateConvention convention, NormalisationJoints normalisation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (names.Length != parents.Length)
            throw new ArgumentException($"{id}: {names.Length} names but {parents.Length} parents.");
        for (int j = 0; j < parents.Length; j++)
        {
            if (parents[j] < -1 || parents[j] >= names.Length || parents[j] == j)
                throw new ArgumentException($"{id}: joint {names[j]} has invalid parent {parents[j]}.");
        }
        if (parents.Count(p => p == -1) != 1)
            throw new ArgumentException($"{id}: a skeleton has exactly one root joint.");
        for (int j = 0; j < parents.Length; j++)
        {
            // With one root, a joint that needs J steps to reach it is on a cycle (e.g. parents [-1, 2, 1]).
            int steps = 0;
            for (int k = j; parents[k] >= 0; k = parents[k])
            {
                if (++steps >= parents.Length)
                    throw new ArgumentException($"{id}: joint {names[j]} is on a cycle and never reaches the root.");
            }
        }

        Id = id;
        DisplayName = displayName;
        _names = names;
        _parents = parents;
        Convention = convention;
        Normalisation = normalisation;
        _indexByName = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.OrdinalIgnoreCase);
        normalisation.Validate(this);
    }

    /// <summary>Stable identifier used in files, checkpoints and the gRPC contract, e.g. "kinect-v2-25".</summary>
    public string Id { get; }

    public string DisplayName { get; }

    public int JointCount => _names.Length;

    public IReadOnlyList<string> JointNames => _names;

    /// <summary>Parent of each joint in the kinematic tree; -1 for the root.</summary>
    public IReadOnlyList<int> Parents => _parents;

    public CoordinateConvention Convention { get; }

    public NormalisationJoints Normalisation { get; }

    /// <summary>Bones as (child, parent) pairs, one per non-root joint.</summary>
    public IEnumerable<(int Child, int Parent)> Bones =>
        _parents.Select((p, c) => (Child: c, Parent: p)).Where(b => b.Parent >= 0);

    public int IndexOf(string jointName) =>
        _indexByName.TryGetValue(jointName, out int index)
            ? index
            : throw new KeyNotFoundException($"Joint '{jointName}' is not in layout {Id}.");

    public override string ToString() => $"{Id} ({JointCount} joints)";
}

/// <summary>
/// The joints that define a body-centred frame: the centre (a spine joint), the hip→spine axis that
/// becomes vertical, and the shoulders whose line becomes horizontal.
/// </summary>
public sealed record NormalisationJoints(int Centre, int Hip, int Spine, int LeftShoulder, int RightShoulder)
{
    internal void Validate(JointLayout layout)
    {
        foreach (int j in new[] { Centre, Hip, Spine, LeftShoulder, RightShoulder })
        {
            if (j < 0 || j >= layout.JointCount)
                throw new ArgumentException($"{layout.Id}: normalisation joint {j} is out of range.");
        }
        if (Hip == Spine || LeftShoulder == RightShoulder)
            throw new ArgumentException($"{layout.Id}: normalisation axes need two distinct joints each.");
    }
}
