namespace Assl.Model.Datasets;

/// <summary>Finds the N-UCLA folder when nobody names one: $ASSL_DATA, then ../shared/data beside the repository.</summary>
public static class NuclaLocation
{
    /// <summary>The folder, or a best guess (which may not exist) when no candidate is found.</summary>
    public static string Default(params string[] startFolders)
    {
        var env = Environment.GetEnvironmentVariable("ASSL_DATA");
        if (!string.IsNullOrEmpty(env)) return Path.Combine(env, "nw-ucla", "all_sqe");
        foreach (var start in startFolders.Append(Directory.GetCurrentDirectory()).Append(AppContext.BaseDirectory))
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
}
