namespace Assl.Model.Datasets;

/// <summary>
/// N-UCLA's ten action classes. Action codes skip a07 and a10 (not recorded), so the code is not the
/// class: class index = 0-based position in this list, the files' "label" = index + 1.
/// </summary>
public static class NuclaClasses
{
    private static readonly int[] ActionCodes = [1, 2, 3, 4, 5, 6, 8, 9, 11, 12];

    public const int Count = 10;

    public static IReadOnlyList<string> Names { get; } =
    [
        "pick up with one hand", "pick up with two hands", "drop trash", "walk around", "sit down",
        "stand up", "donning", "doffing", "throw", "carry",
    ];

    /// <summary>The 0-based class index of action code <paramref name="action"/> (the AA in aAA).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not one of the ten N-UCLA action codes.</exception>
    public static int IndexOfAction(int action) =>
        TryIndexOfAction(action, out int index)
            ? index
            : throw new ArgumentOutOfRangeException(nameof(action), action,
                $"a{action:D2} is not an N-UCLA action; the codes are {string.Join(", ", ActionCodes.Select(c => $"a{c:D2}"))}.");

    public static bool TryIndexOfAction(int action, out int index)
    {
        index = Array.IndexOf(ActionCodes, action);
        return index >= 0;
    }

    public static int ActionOf(int classIndex) => ActionCodes[CheckIndex(classIndex)];

    public static string NameOf(int classIndex) => Names[CheckIndex(classIndex)];

    /// <summary>The 0-based class index for a file's 1-based "label" field.</summary>
    public static int IndexOfLabel(int label) =>
        label is >= 1 and <= Count
            ? label - 1
            : throw new ArgumentOutOfRangeException(nameof(label), label, $"N-UCLA labels run 1..{Count}.");

    private static int CheckIndex(int classIndex) =>
        classIndex is >= 0 and < Count
            ? classIndex
            : throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"N-UCLA class indices run 0..{Count - 1}.");
}
