using System.CommandLine;

namespace Assl.Cli.Commands;

/// <summary>The verb tree of the assl command.</summary>
public static class AsslCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("assl: semi-supervised skeleton action recognition (ASSL) - data, training, serving clients.");
        var data = new Command("data", "Inspect skeleton datasets.");
        data.Subcommands.Add(DataStatsCommand.Create());
        root.Subcommands.Add(data);
        return root;
    }
}
