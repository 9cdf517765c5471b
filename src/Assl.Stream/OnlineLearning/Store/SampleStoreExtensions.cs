using System.Runtime.CompilerServices;

namespace Assl.Stream.OnlineLearning.Store;

public static class SampleStoreExtensions
{
    /// <summary>Every stored window, oldest first, read a page at a time (the store is far larger than one read should hold).</summary>
    public static async IAsyncEnumerable<StoredSample> AllWindowsAsync(this ISampleStore store, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        const int page = 5000;
        long after = 0;
        while (true)
        {
            var windows = await store.WindowsSinceAsync(after, page, cancellationToken);
            if (windows.Count == 0) yield break;
            after = windows[^1].Sequence;
            foreach (var window in windows) yield return window;
        }
    }
}
