using System.CommandLine;

namespace Assl.Cli.Commands;

/// <summary>The verb tree of the assl command.</summary>
public static class AsslCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("assl: semi-supervised skeleton action recognition (ASSL) - data, training, evaluation, benchmarks, the server and its clients.");
        var data = new Command("data", "Inspect skeleton datasets.");
        data.Subcommands.Add(DataStatsCommand.Create());
        root.Subcommands.Add(data);
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(WatchCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(LoadTestCommand.Create());
        root.Subcommands.Add(ExperimentCommand.Create());
        return root;
    }
}
