using System.CommandLine;
using System.Text.Json;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl model info|export-pytorch`: inspect a checkpoint, or hand its weights to PyTorch; and
/// `assl model status|list|promote|rollback|finetune|pause|resume`: a running server's online loop (<see cref="ModelAdminCommands"/>).
/// </summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var model = new Command("model", "Inspect and convert saved models; administer a server's model versions and online learning loop.");

        var infoPath = new Argument<FileInfo>("checkpoint") { Description = "A .assl model file." };
        var info = new Command("info", "Print a checkpoint's manifest (validates the file).") { infoPath };
        info.SetAction(parse => Verb.Guard(() =>
        {
            var path = parse.GetValue(infoPath)!.FullName;
            var (network, manifest) = CheckpointFile.Load(path);
            network.Dispose();
            Console.WriteLine(JsonSerializer.Serialize(manifest, CheckpointFile.JsonOptions));
            return Verb.Ok;
        }));
        model.Subcommands.Add(info);

        var exportPath = new Argument<FileInfo>("checkpoint") { Description = "A .assl model file." };
        var exportTo = new Argument<FileInfo>("output") { Description = "Where the PyTorch state_dict goes (e.g. model.pt); the manifest goes beside it as .json." };
        var export = new Command("export-pytorch", "Write the weights as a PyTorch state_dict (torch.load reads it).") { exportPath, exportTo };
        export.SetAction(parse => Verb.Guard(() =>
        {
            var (network, manifest) = CheckpointFile.Load(parse.GetValue(exportPath)!.FullName);
            using (network)
            {
                var target = parse.GetValue(exportTo)!.FullName;
                PyTorchInterop.ExportStateDict(network, target);
                CheckpointFile.WriteManifestJson(Path.ChangeExtension(target, ".json"), manifest);
                Console.WriteLine($"wrote {target} and {Path.ChangeExtension(target, ".json")}");
            }
            return Verb.Ok;
        }));
        model.Subcommands.Add(export);

        foreach (var admin in ModelAdminCommands.Create()) model.Subcommands.Add(admin);
        return model;
    }
}
