namespace Assl.Cli.Infrastructure;

/// <summary>Finds the N-UCLA folder when the user does not name one: $ASSL_DATA, then ../shared/data beside the repository.</summary>
public static class DataLocator
{
    public static string DefaultNucla()
    {
        var env = Environment.GetEnvironmentVariable("ASSL_DATA");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "nw-ucla", "all_sqe");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "nw-ucla", "all_sqe");
                if (File.Exists(Path.Combine(dir.FullName, "Assl.sln")) && Directory.Exists(candidate))
                    return Path.GetFullPath(candidate);
            }
        }
        return Path.GetFullPath(Path.Combine("..", "shared", "data", "nw-ucla", "all_sqe"));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Assl.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
