using System.CommandLine;
using Assl.Cli.Clients;
using Assl.Cli.Infrastructure;
using Assl.Proto.V1;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl model status|list|promote|rollback|finetune|pause|resume`: the online learning loop of a running server, through
/// its ModelAdmin service. Every verb needs the server's admin key (--admin-key or $ASSL_ADMIN_KEY).
/// </summary>
public static class ModelAdminCommands
{
    // Promote validates a checkpoint on the server before swapping; the other calls answer at once.
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    public static IEnumerable<Command> Create()
    {
        yield return AdminVerb("status", "Show what a server's online learning loop is doing and which version serves.", [],
            async (admin, _, output, ct) =>
            {
                AdminReport.WriteStatus(await admin.GetStatusAsync(new GetStatusRequest(), deadline: Deadline(), cancellationToken: ct), output, DateTimeOffset.UtcNow);
                return Verb.Ok;
            });

        yield return AdminVerb("list", "List a server's model versions, oldest first, with their evaluation metrics.", [],
            async (admin, _, output, ct) =>
            {
                var reply = await admin.ListVersionsAsync(new ListVersionsRequest(), deadline: Deadline(), cancellationToken: ct);
                AdminReport.WriteVersions(reply.Versions, output);
                return Verb.Ok;
            });

        var promoteVersion = new Argument<string>("version") { Description = "The version to serve (see `assl model list`)." };
        var promoteReason = Reason();
        yield return AdminVerb("promote", "Serve a known version now (its checkpoint is validated; the shadow evaluation is not repeated).",
            [promoteVersion, promoteReason],
            async (admin, parse, output, ct) =>
            {
                var request = new PromoteRequest { Version = parse.GetValue(promoteVersion)!, Reason = parse.GetValue(promoteReason) ?? "" };
                var serving = await admin.PromoteAsync(request, deadline: Deadline(), cancellationToken: ct);
                output.WriteLine($"now serving {AdminReport.Version(serving)}");
                return Verb.Ok;
            });

        var rollbackVersion = new Option<string?>("--version") { Description = "The version to go back to; default the one served before the current one." };
        var rollbackReason = Reason();
        yield return AdminVerb("rollback", "Go back to the version served before the current one (or to --version).", [rollbackVersion, rollbackReason],
            async (admin, parse, output, ct) =>
            {
                var request = new RollbackRequest { Reason = parse.GetValue(rollbackReason) ?? "" };
                if (parse.GetValue(rollbackVersion) is { Length: > 0 } version) request.Version = version;
                var serving = await admin.RollbackAsync(request, deadline: Deadline(), cancellationToken: ct);
                output.WriteLine($"now serving {AdminReport.Version(serving)}");
                return Verb.Ok;
            });

        var fineTuneReason = Reason();
        yield return AdminVerb("finetune", "Ask for a fine-tuning run as soon as possible (not an error when one is already running or queued).",
            [fineTuneReason],
            async (admin, parse, output, ct) =>
            {
                var reply = await admin.TriggerFineTuneAsync(new TriggerFineTuneRequest { Reason = parse.GetValue(fineTuneReason) ?? "" },
                    deadline: Deadline(), cancellationToken: ct);
                output.WriteLine(reply.Accepted ? $"accepted: {reply.Message}" : $"not accepted: {reply.Message}");
                return Verb.Ok;
            });

        yield return AdminVerb("pause", "Stop starting fine-tuning runs (a running one finishes; serving and sample capture go on).", [],
            async (admin, _, output, ct) =>
            {
                AdminReport.WriteStatus(await admin.PauseAsync(new PauseRequest(), deadline: Deadline(), cancellationToken: ct), output, DateTimeOffset.UtcNow);
                return Verb.Ok;
            });

        yield return AdminVerb("resume", "Let the loop start fine-tuning runs again.", [],
            async (admin, _, output, ct) =>
            {
                AdminReport.WriteStatus(await admin.ResumeAsync(new ResumeRequest(), deadline: Deadline(), cancellationToken: ct), output, DateTimeOffset.UtcNow);
                return Verb.Ok;
            });
    }

    /// <summary>One admin verb: its own arguments plus --server and --admin-key, run under <see cref="Verb.Guard(Func{Task{int}})"/>.</summary>
    private static Command AdminVerb(string name, string description, Symbol[] symbols,
        Func<ModelAdmin.ModelAdminClient, ParseResult, TextWriter, CancellationToken, Task<int>> run)
    {
        var server = ClientOptions.Server();
        var adminKey = ClientOptions.AdminKey();
        var command = new Command(name, description) { server, adminKey };
        foreach (var symbol in symbols)
        {
            if (symbol is Argument argument) command.Arguments.Add(argument);
            else command.Options.Add((Option)symbol);
        }
        command.SetAction((parse, ct) => Verb.Guard(async () =>
        {
            using var connection = AsslConnection.Open(parse.GetValue(server)!, apiKey: null, adminKey: parse.GetValue(adminKey));
            return await run(connection.Admin, parse, parse.InvocationConfiguration.Output, ct);
        }, parse.InvocationConfiguration.Error));
        return command;
    }

    private static Option<string?> Reason() => new("--reason") { Description = "Why, in words; the server records it with the action." };

    private static DateTime Deadline() => DateTime.UtcNow.Add(CallTimeout);
}
