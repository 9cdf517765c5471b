using System.CommandLine;
using Assl.Cli.Experiments;
using Assl.Cli.Infrastructure;
using Assl.Model.Training.FineTuning;
using Assl.Stream.OnlineLearning.Loop;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl experiment finetune`: one online-loop run replayed offline on the samples an online experiment stored,
/// with fine-tuning settings given as flags, over several seeds. Prints the loop's decision and view 3 per seed.
/// </summary>
public static class FineTuneReplayCommand
{
    public static Command Create()
    {
        var defaults = new FineTuneConfig();
        var store = new Option<FileInfo>("--store") { Description = "Store an online experiment left.", DefaultValueFactory = _ => new FileInfo(Path.Combine("runs", "online", "normal", "store.db")) };
        var model = new Option<FileInfo>("--model") { Description = "The model the run starts from (the experiment's starting model).", DefaultValueFactory = _ => new FileInfo(Path.Combine("runs", "online", "start-r0.05-s1-e40.assl")) };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (default: $ASSL_DATA or ../shared/data beside the repository)." };
        var ratio = new Option<double>("--label-ratio") { Description = "Labelled share of view 1, as the experiment used.", DefaultValueFactory = _ => 0.05 };
        var labelSeed = new Option<int>("--label-seed") { Description = "The experiment's --seed (which labelled sequences).", DefaultValueFactory = _ => 1 };
        var validationViews = new Option<string>("--validation-views") { DefaultValueFactory = _ => "1,2" };
        var seeds = new Option<string>("--seeds") { Description = "Fine-tuning seeds, one replayed run each.", DefaultValueFactory = _ => "1,2,3" };
        var threads = new Option<int>("--threads") { Description = "libtorch threads (the loop uses 1 beside serving).", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => defaults.Steps };
        var batch = new Option<int>("--batch-size") { DefaultValueFactory = _ => defaults.BatchSize };
        var lr = new Option<double>("--lr") { DefaultValueFactory = _ => defaults.LearningRate };
        var pseudoWeight = new Option<double>("--pseudo-weight") { DefaultValueFactory = _ => defaults.PseudoLabelWeight };
        var ema = new Option<double>("--ema") { DefaultValueFactory = _ => defaults.EmaDecay };
        var inpainting = new Option<double>("--inpainting") { DefaultValueFactory = _ => defaults.LambdaInpainting };
        var adversarial = new Option<double>("--adversarial") { DefaultValueFactory = _ => defaults.LambdaAdversarial };
        var consistency = new Option<double>("--consistency") { DefaultValueFactory = _ => defaults.LambdaConsistency };
        var teacher = new Option<double>("--teacher") { Description = "Weight of the teacher term (EMA teacher's confident answers teach strong views of unlabelled windows).", DefaultValueFactory = _ => defaults.LambdaTeacher };
        var teacherThreshold = new Option<double>("--teacher-threshold") { DefaultValueFactory = _ => defaults.TeacherThreshold };
        var perClass = new Option<int>("--pseudo-per-class") { Description = "OnlineLearning:PseudoLabelledPerClass.", DefaultValueFactory = _ => new OnlineLearningOptions().PseudoLabelledPerClass };
        var truthFile = new Option<FileInfo?>("--truth") { Description = $"The phase's {StoredTruth.FileName} (beside its store): prints how many pseudo-labels are right." };
        var oracle = new Option<ReplayOracle>("--oracle") { Description = "none | windows (the stored windows with their true classes; needs --truth) | sequences (the streamed view-2 sequences, whole and labelled) | pseudosequences (the same, labelled by the serving model at ≥ --min-confidence, 0.95 if 0) | gatedsequences (the clips whose windows the gate labelled, whole, each with the label most of its windows got; needs --truth) | agreedsequences (those the serving model's whole-clip answer agrees with).", DefaultValueFactory = _ => ReplayOracle.None };
        var minConfidence = new Option<float>("--min-confidence") { Description = "Only pseudo-labels at least this confident (a stricter gate, on the same store).", DefaultValueFactory = _ => 0f };
        var unlabelledForm = new Option<string>("--unlabelled") { Description = "windows (the stored unlabelled windows, as the loop trains) | sequences (the streamed view-2 sequences, whole, without labels).", DefaultValueFactory = _ => "windows" };
        unlabelledForm.AcceptOnlyFromAmong("windows", "sequences");
        var command = new Command("finetune", "Replay one loop run offline on a stored experiment's samples with the given fine-tuning settings; print validation and view 3 per seed.")
        {
            store, model, data, ratio, labelSeed, validationViews, seeds, threads, steps, batch, lr, pseudoWeight, ema, inpainting, adversarial, consistency, teacher, teacherThreshold, perClass, truthFile, oracle, minConfidence, unlabelledForm,
        };
        command.SetAction((parse, ct) => Verb.Guard(async () =>
        {
            var dataPath = parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla();
            var fineTune = defaults with
            {
                Steps = parse.GetValue(steps), BatchSize = parse.GetValue(batch), LearningRate = parse.GetValue(lr),
                PseudoLabelWeight = parse.GetValue(pseudoWeight), EmaDecay = parse.GetValue(ema), LambdaInpainting = parse.GetValue(inpainting),
                LambdaAdversarial = parse.GetValue(adversarial), LambdaConsistency = parse.GetValue(consistency),
                LambdaTeacher = parse.GetValue(teacher), TeacherThreshold = parse.GetValue(teacherThreshold),
            };
            fineTune.Validate();
            var options = new OnlineLearningOptions
            {
                LabelledViews = [1],
                LabelRatio = parse.GetValue(ratio),
                LabelSeed = parse.GetValue(labelSeed),
                ValidationViews = CommaList.Views(parse.GetValue(validationViews)!, "--validation-views"),
                PseudoLabelledPerClass = parse.GetValue(perClass),
                Threads = parse.GetValue(threads),
                FineTune = fineTune,
            };
            Console.WriteLine($"fine-tuning: {fineTune.Steps} steps, batch {fineTune.BatchSize}, lr {fineTune.LearningRate}, pseudo weight {fineTune.PseudoLabelWeight}, " +
                $"EMA {fineTune.EmaDecay}, inpainting {fineTune.LambdaInpainting}, adversarial {fineTune.LambdaAdversarial}, consistency {fineTune.LambdaConsistency}, teacher {fineTune.LambdaTeacher} at ≥ {fineTune.TeacherThreshold}");
            // The replay checks the combination before it loads anything.
            var labels = new ReplayLabels(parse.GetValue(oracle), parse.GetValue(truthFile) is { } file ? StoredTruth.Read(file.FullName) : null,
                parse.GetValue(minConfidence), parse.GetValue(unlabelledForm) == "sequences");
            await new FineTuneReplay(options, parse.GetValue(store)!.FullName, parse.GetValue(model)!.FullName, dataPath, Console.Out, labels)
                .RunAsync(CommaList.Ints(parse.GetValue(seeds)!, "--seeds"), ct);
            Console.WriteLine($"command: {RerunCommand.OfThisProcess()}");
            return Verb.Ok;
        }));
        return command;
    }
}
