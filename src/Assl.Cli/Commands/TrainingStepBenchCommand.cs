using System.CommandLine;
using Assl.Cli.Infrastructure;
using Assl.Model.Datasets;
using Assl.Model.Skeletons;
using Assl.Model.Training;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl bench training-step`: where a training step's time goes for a config, pass by pass, on real N-UCLA
/// windows. Prints the figures; the N-UCLA benchmark's run times are these steps times the steps of a run.
/// </summary>
public static class TrainingStepBenchCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file from configs/ (default: the built-in defaults)." };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 2 };
        var seconds = new Option<double>("--seconds") { Description = "Time spent per figure.", DefaultValueFactory = _ => 3 };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (windows to train on)." };
        var labels = new Option<string?>("--labels") { Description = "Label ratio whose settings to time (0.05 or 5%), for a config that changes with it (default: the config's own)." };
        var command = new Command("training-step", "Time the passes of one training step: ms of forward and backward per pass (the median call).") { config, threads, seconds, data, labels };
        command.SetAction(parse => Verb.Guard(() =>
        {
            var settings = parse.GetValue(config) is { } file ? TrainingConfigFile.Load(file.FullName) : new TrainingConfig();
            if (parse.GetValue(labels) is { } ratio) settings = settings with { LabelRatio = TrainCommand.ParseRatio(ratio) };
            return Task.FromResult(Run(settings with { Threads = parse.GetValue(threads) }, parse.GetValue(seconds),
                parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(), Console.Out));
        }));
        return command;
    }

    public static int Run(TrainingConfig config, double seconds, string dataDirectory, TextWriter output)
    {
        // The settings a run at this label ratio trains with (a config can switch terms and students by ratio).
        config = config.AtItsLabelRatio();
        if (seconds <= 0) throw new ArgumentException($"--seconds must be positive, got {seconds}.");
        var samples = NuclaDataset.Load(dataDirectory).Samples.Take(config.BatchSize).ToList();
        if (samples.Count < config.BatchSize)
            throw new ArgumentException($"{dataDirectory} holds {samples.Count} sequences; a step needs {config.BatchSize}.");
        using var set = EvaluationSet.Of(samples, config.Frames);
        var bodyParts = BodyParts.Of(samples[0].Sequence.Layout);

        var cost = TrainingStepTimer.Measure(config, set.Windows, set.Labels, NuclaClasses.Names.Count, bodyParts, seconds);
        var encoder = config.Encoder;
        output.WriteLine($"{encoder.Kind} encoder {encoder.Layers}×{encoder.Hidden}{(encoder.Kind == "gcn" ? $" ({encoder.Norm} norm)" : "")}, " +
            $"T={config.Frames}, half-batch {cost.HalfBatch}, {config.LabelRatio:P0} labels, {config.Threads} threads, {config.Device}");
        output.WriteLine("forward and backward, ms (median call, the passes timed in turn):");
        output.WriteLine($"  encoder pass, {cost.HalfBatch} windows              {cost.EncoderPass,8:F1}");
        output.WriteLine($"  joint pass, {2 * cost.HalfBatch} windows                {cost.JointPass,8:F1}");
        output.WriteLine($"  inpainting (masked copy), {cost.InpaintedWindows} windows  {cost.Inpainting,8:F1}   (the decoder alone, {cost.HalfBatch} windows: {cost.Decoder:F1})");
        output.WriteLine($"  Adam update                           {cost.Optimizer,8:F1}");
        bool inpainting = TrainingStepCost.RunsInpainting(config);
        bool strong = TrainingStepCost.RunsStrongView(config);
        output.WriteLine("step, ms (sum of its passes):");
        output.WriteLine($"  supervised                            {cost.SupervisedStep,8:F1}");
        output.WriteLine($"  ASSL as configured                    {cost.AsslStep(config),8:F1}" +
            $"   (joint{(inpainting ? " + masked" : "")}{(strong ? " + strong view" : "")})");
        return Verb.Ok;
    }
}
