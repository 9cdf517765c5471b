namespace Assl.Cli.Infrastructure;

/// <summary>Finds the N-UCLA folder when the user does not name one: $ASSL_DATA, then ../shared/data beside the repository.</summary>
public static class DataLocator
{
    public static string DefaultNucla() => Assl.Model.Datasets.NuclaLocation.Default();

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Assl.sln"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
