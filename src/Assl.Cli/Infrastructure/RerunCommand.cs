namespace Assl.Cli.Infrastructure;

/// <summary>The command line a results page prints so anyone can rerun what produced it.</summary>
public static class RerunCommand
{
    private const string Prefix = "dotnet run -c Release --project src/Assl.Cli --";

    /// <summary>This process's verb and flags, as a rerun command.</summary>
    public static string OfThisProcess() => Of(Environment.GetCommandLineArgs().Skip(1));

    /// <summary>The verb and flags given, quoted for a POSIX shell where needed.</summary>
    public static string Of(IEnumerable<string> args) => Prefix + string.Concat(args.Select(a => " " + Quote(a)));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c is not ('"' or '\'' or '$')) ? arg : "'" + arg.Replace("'", "'\\''") + "'";
}
