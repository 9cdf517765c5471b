using System.CommandLine;

namespace Assl.Cli.Commands;

public static class DataStatsCommand
{
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("dir") { Description = "Dataset folder (e.g. ../shared/data/nw-ucla/all_sqe)." };
        var command = new Command("stats", "Counts per class and view, sequence lengths, and rejected files.") { dir };
        command.SetAction(parse => { Console.WriteLine(parse.GetValue(dir)!.FullName); return 0; });
        return command;
    }
}
