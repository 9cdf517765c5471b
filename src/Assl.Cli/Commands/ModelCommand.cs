using System.CommandLine;
using System.Text.Json;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl model info|export-pytorch|import-pytorch`: inspect a checkpoint, or hand its weights to PyTorch and take them back; and
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
            var target = parse.GetValue(exportTo)!.FullName;
            var manifestPath = PyTorchInterop.ExportCheckpoint(parse.GetValue(exportPath)!.FullName, target);
            Console.WriteLine($"wrote {target} and {manifestPath}");
            return Verb.Ok;
        }));
        model.Subcommands.Add(export);

        var importFrom = new Argument<FileInfo>("state-dict") { Description = "A PyTorch state_dict written by export-pytorch (and perhaps trained further in PyTorch)." };
        var importTo = new Argument<FileInfo>("output") { Description = "The .assl model file to write." };
        var importManifest = new Option<FileInfo?>("--manifest") { Description = "The manifest exported with it (default: the state_dict's path with .json)." };
        var importVersion = new Option<string?>("--version") { Description = "Model version to record (default: the exported one if the weights are unchanged, else one derived from it and the weights' hash)." };
        var import = new Command("import-pytorch", "Turn a PyTorch state_dict and its exported manifest back into a .assl model file.") { importFrom, importTo, importManifest, importVersion };
        import.SetAction(parse => Verb.Guard(() =>
        {
            var stateDict = parse.GetValue(importFrom)!.FullName;
            var manifestPath = parse.GetValue(importManifest)?.FullName ?? Path.ChangeExtension(stateDict, ".json");
            var target = parse.GetValue(importTo)!.FullName;
            var (written, unchanged) = PyTorchInterop.ImportCheckpoint(stateDict, manifestPath, target, parse.GetValue(importVersion));
            Console.WriteLine($"wrote {target}: model version {written.ModelVersion}" +
                (unchanged ? " (the exported weights, unchanged)" : " (new weights: the exported metrics were dropped)"));
            return Verb.Ok;
        }));
        model.Subcommands.Add(import);

        foreach (var admin in ModelAdminCommands.Create()) model.Subcommands.Add(admin);
        return model;
    }
}
