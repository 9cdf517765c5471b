using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;

namespace Assl.Cli.Commands;

/// <summary>`assl replay`: recorded sequences streamed into a server as live cameras, events printed as they come back.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("files") { Description = "Skeleton files or folders (N-UCLA .json, NTU .skeleton, Azure Kinect .json).", Arity = ArgumentArity.OneOrMore };
        var server = ClientOptions.Server();
        var apiKey = ClientOptions.ApiKey();
        var cameras = new Option<int>("--cameras") { Description = "Cameras streaming in parallel (cam-1..cam-N); files are dealt round-robin.", DefaultValueFactory = _ => 1 };
        var loop = new Option<bool>("--loop") { Description = "Start over after the last file, until Ctrl-C." };
        var speed = new Option<double>("--speed") { Description = "Playback speed: 1 = real time, 2 = twice as fast, 0 = as fast as possible.", DefaultValueFactory = _ => 1.0 };
        var limit = new Option<int?>("--limit") { Description = "Play at most this many files." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the summary, not each event." };
        var stretch = new Option<int?>("--stretch-to") { Description = "Play clips shorter than this many frames (30 Hz) slowed down to span it. Many N-UCLA clips are shorter than the model's window, and a clip that never fills a window gets no event; at least the window's length." };
        var command = new Command("replay", "Stream recorded skeleton sequences to a server at their real frame rate and print the events.")
        {
            inputs, server, apiKey, cameras, loop, speed, limit, quiet, stretch,
        };
        command.SetAction((parse, ct) => Verb.Guard(async () =>
        {
            var settings = new ReplaySettings(parse.GetValue(cameras), parse.GetValue(speed), parse.GetValue(loop), parse.GetValue(limit), parse.GetValue(stretch));
            var clips = ReplayRunner.LoadClips(parse.GetValue(inputs)!, settings.Limit);
            using var connection = AsslConnection.Open(parse.GetValue(server)!, parse.GetValue(apiKey));
            var model = await connection.DescribeAsync(ct);
            ReplayRunner.ThrowIfInvalid(settings, model);
            Console.WriteLine($"{connection.Address}: model {model.Version} ({model.ClassNames.Count} classes, {model.WindowFrames}-frame windows); " +
                              $"replaying {clips.Count} file(s) on {Math.Min(settings.Cameras, clips.Count)} camera(s) at speed {settings.Speed}" +
                              (settings.StretchToFrames is { } frames ? $", clips shorter than {frames} frames slowed to span it" : ""));
            if (ReplayRunner.ShortClipsNote(clips, ReplayRunner.WindowAt30Hz(model), settings.StretchToFrames) is { } note) Console.WriteLine(note);
            var report = await ReplayRunner.RunAsync(connection, model, clips, settings, Console.Out, !parse.GetValue(quiet), ct);
            report.WriteSummary();
            return Verb.Ok;
        }));
        return command;
    }
}
