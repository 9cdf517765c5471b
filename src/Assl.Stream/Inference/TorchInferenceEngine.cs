using System.Buffers;
using Assl.Model.Preprocessing;
using Assl.Model.Skeletons;
using TorchSharp;
using static TorchSharp.torch;

namespace Assl.Stream.Inference;

/// <summary>
/// Preprocesses windows exactly as training did (view normalisation, resampling to T), stacks them
/// into one tensor and runs one forward pass under inference mode.
/// </summary>
public sealed class TorchInferenceEngine : IInferenceEngine, IDisposable
{
    private ServingModel _current;
    private readonly int _threads;
    private readonly int _backlogThreads;
    private readonly int _backlogBatchSize;
    private readonly bool _padToShapes;

    /// <param name="threads">libtorch threads per batch; 0 keeps libtorch's default.</param>
    /// <param name="backlogThreads">Threads for a batch of at least <paramref name="backlogBatchSize"/> windows; 0 means the same as <paramref name="threads"/>.</param>
    /// <param name="padToShapes">Run each batch padded to its <see cref="BatchShapes"/> size (see <see cref="InferenceOptions.PadToShapes"/>).</param>
    public TorchInferenceEngine(ServingModel model, int threads = 0, int backlogThreads = 0, int backlogBatchSize = int.MaxValue, bool padToShapes = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfNegative(backlogThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(backlogBatchSize, 1);
        _current = model;
        if (threads > 0) torch.set_num_threads(threads);
        _threads = torch.get_num_threads();
        _backlogThreads = backlogThreads > 0 ? backlogThreads : _threads;
        _backlogBatchSize = backlogBatchSize;
        _padToShapes = padToShapes;
    }

    public static TorchInferenceEngine From(ServingModel model, InferenceOptions options, int workers = 1) =>
        new(model, options.ThreadsFor(workers), options.BacklogThreadsFor(workers), options.BacklogBatchSize, options.PadToShapes);

    /// <summary>The libtorch thread budget a batch of this many windows runs with.</summary>
    public int ThreadsFor(int batchSize) => batchSize >= _backlogBatchSize ? _backlogThreads : _threads;

    /// <summary>The batch size a pass of <paramref name="count"/> windows runs at: padded to a <see cref="BatchShapes"/> size, or its own.</summary>
    public int ShapeFor(int count) => _padToShapes ? BatchShapes.Padded(count) : count;

    public ServingModel Current => Volatile.Read(ref _current);

    public (float[][] Probabilities, string ModelVersion) Predict(IReadOnlyList<float[]> windows)
    {
        ServingModel model;
        while (true)
        {
            model = Current;
            if (model.TryAcquire()) break;
        }
        try
        {
            // The budget is restated on every batch: it depends on the batch, and libtorch seeds a thread's budget from
            // the last global setting, which a fine-tuning thread lowers.
            int threads = ThreadsFor(windows.Count);
            if (torch.get_num_threads() != threads) torch.set_num_threads(threads);
            int frames = model.Frames, joints = model.Layout.JointCount, size = frames * joints * 3;
            var preprocessor = new SkeletonPreprocessor(new PreprocessingOptions { Frames = frames });
            int shape = ShapeFor(windows.Count);
            // Rented, not allocated: a batch of 24 windows of 50 × 20 joints is 288 kB, on the large-object heap, and a fresh one
            // per pass made nearly every collection a full one (98 of 124 over a 25-s saturated run).
            var batch = ArrayPool<float>.Shared.Rent(shape * size);
            try
            {
                for (int i = 0; i < windows.Count; i++)
                {
                    var sequence = new SkeletonSequence(model.Layout, windows[i]);
                    preprocessor.Process(sequence).Positions.CopyTo(batch.AsSpan(i * size, size));
                }
                // Padding rows are zeroed (a rented array holds old windows): in eval mode each row is classified on its own,
                // and theirs are not read, but zeros keep a pass's cost and numerics independent of what ran before.
                batch.AsSpan(windows.Count * size, (shape - windows.Count) * size).Clear();
                return (Forward(model, batch.AsMemory(0, shape * size), shape, windows.Count), model.Version);
            }
            finally
            {
                ArrayPool<float>.Shared.Return(batch);
            }
        }
        finally
        {
            model.Release();
        }
    }

    /// <returns>One probability row per window; the rows after <paramref name="windows"/> are padding and are not read.</returns>
    private static float[][] Forward(ServingModel model, Memory<float> batch, int shape, int windows)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        // tensor() copies a Memory into memory libtorch owns, so the rented array can go back to the pool as soon as this
        // returns (a batch of 24: 0.3 ms, against 0.8 ms for filling an empty tensor through its accessor).
        var input = tensor(batch, [shape, model.Frames, model.Layout.JointCount * 3]).to(model.Device);
        var probabilities = nn.functional.softmax(model.Network.forward(input), 1).cpu();
        var flat = probabilities.data<float>().ToArray();
        int classes = model.ClassNames.Count;
        var rows = new float[windows][];
        for (int i = 0; i < rows.Length; i++) rows[i] = flat.AsSpan(i * classes, classes).ToArray();
        return rows;
    }

    public void Swap(ServingModel next)
    {
        var previous = Interlocked.Exchange(ref _current, next);
        if (!ReferenceEquals(previous, next)) previous.Retire();
    }

    public void Dispose() => Current.Retire();
}
