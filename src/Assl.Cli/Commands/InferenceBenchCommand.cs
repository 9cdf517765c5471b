using System.CommandLine;
using System.Diagnostics;
using Assl.Cli.Infrastructure;
using Assl.Model.Checkpoints;
using Assl.Model.Datasets;
using Assl.Model.Preprocessing;
using Assl.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Cli.Commands;

/// <summary>
/// `assl bench inference`: latency of one window at batch 1 and throughput at batch 32 (or <c>--batch</c>), with real
/// N-UCLA windows, on a given number of libtorch threads. Prints the figures.
/// </summary>
public static class InferenceBenchCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model to time.", DefaultValueFactory = _ => new FileInfo(Path.Combine("models", "nucla-default.assl")) };
        var threads = new Option<int>("--threads") { Description = "libtorch intra-op threads.", DefaultValueFactory = _ => 2 };
        var seconds = new Option<double>("--seconds") { Description = "Time spent per measurement.", DefaultValueFactory = _ => 5 };
        var data = new Option<DirectoryInfo?>("--data") { Description = "N-UCLA all_sqe folder (windows to feed)." };
        var batch = new Option<int>("--batch") { Description = "Batch size of the throughput figure (1–128).", DefaultValueFactory = _ => 32 };
        var command = new Command("inference", "Time the model: ms per window at batch 1, windows/s at batch 32 (or --batch).") { model, threads, seconds, data, batch };
        command.SetAction(parse => Verb.Guard(() => Run(parse.GetValue(model)!.FullName, parse.GetValue(threads), parse.GetValue(seconds),
            parse.GetValue(data)?.FullName ?? DataLocator.DefaultNucla(), Console.Out, parse.GetValue(batch))));
        return command;
    }

    public static int Run(string modelPath, int threads, double seconds, string dataDirectory, TextWriter output, int batchSize = 32)
    {
        if (batchSize is < 1 or > 128) throw new ArgumentException($"--batch must be 1 to 128, got {batchSize}.");
        torch.set_num_threads(threads);
        var (network, manifest) = CheckpointFile.Load(modelPath);
        using (network)
        {
            int t = manifest.Preprocessing.Frames;
            var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = t });
            var windows = NuclaDataset.Load(dataDirectory).Samples.Take(256).Select(s => preprocessor.Process(s.Sequence).ToArray()).ToArray();
            int channels = windows[0].Length / t;
            using var all = TrainingData.Stack(windows, t, channels, CPU);

            double Measure(int batch)
            {
                using var mode = inference_mode();
                long done = 0;
                var clock = Stopwatch.StartNew();
                for (int i = 0; clock.Elapsed.TotalSeconds < seconds || done < 10; i++)
                {
                    using var scope = NewDisposeScope();
                    var x = all.narrow(0, (i * batch) % (all.shape[0] - batch), batch);
                    network.forward(x).softmax(1).cpu();
                    done += batch;
                }
                return done / clock.Elapsed.TotalSeconds;
            }

            Measure(1); // warm-up: first calls pay for allocation and kernel selection
            double single = Measure(1);
            Measure(batchSize); // its own first pass pays for that shape's allocation
            double batched = Measure(batchSize);
            output.WriteLine($"model {manifest.ModelVersion}: {manifest.Network.Encoder.Kind} {manifest.Network.Encoder.Layers}×{manifest.Network.Encoder.Hidden}, T={t}, {threads} threads");
            output.WriteLine($"batch 1:  {1000 / single:F2} ms per window ({single:F0} windows/s)");
            output.WriteLine($"batch {batchSize}: {batched:F0} windows/s ({1000 * batchSize / batched:F1} ms per batch)");
            return Verb.Ok;
        }
    }
}
