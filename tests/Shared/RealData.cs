namespace Assl.Tests;

/// <summary>
/// Locates the real datasets in ../shared/data (beside the repository) or in $ASSL_DATA.
/// Tests that need them call <see cref="NuclaDirectory"/>, which skips the test with a clear message
/// where the data is absent (a user's fresh clone) and returns the folder where it is present (CI).
/// </summary>
public static class RealData
{
    public static string? Root { get; } = FindRoot();

    public static string NuclaDirectory
    {
        get
        {
            var dir = Root is null ? null : Path.Combine(Root, "nw-ucla", "all_sqe");
            Skip.If(dir is null || !Directory.Exists(dir),
                "N-UCLA data not found: expected ../shared/data/nw-ucla/all_sqe beside the repository (or set ASSL_DATA).");
            return dir!;
        }
    }

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The model the server ships with (committed, so always present in a clone).</summary>
    public static string ShippedModel { get; } = Path.Combine(RepositoryRoot, "models", "nucla-default.assl");

    private static string? FindRoot()
    {
        var env = Environment.GetEnvironmentVariable("ASSL_DATA");
        if (!string.IsNullOrEmpty(env) && Directory.Exists(env)) return env;
        var candidate = Path.GetFullPath(Path.Combine(FindRepositoryRoot(), "..", "shared", "data"));
        return Directory.Exists(candidate) ? candidate : null;
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Assl.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Tests must run inside the Assl repository.");
    }
}
