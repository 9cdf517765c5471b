using Assl.Stream.Observability;
using Assl.Stream.OnlineLearning.Loop;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class FineTuneThreadTests
{
    [Fact]
    public async Task RunsOneAfterAnotherOnOneNamedThread_AndPassesFailuresBack()
    {
        var threads = new List<(int Id, string? Name)>();
        using (var fineTune = new FineTuneThread())
        {
            var first = fineTune.RunAsync(() => { Thread.Sleep(50); lock (threads) threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)); });
            var second = fineTune.RunAsync(() => { lock (threads) threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)); });
            await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(10));
            var failed = fineTune.RunAsync(() => throw new InvalidOperationException("the candidate could not be trained"));
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => failed.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("could not be trained", e.Message);
            // A failed run leaves the thread serving the next one.
            await fineTune.RunAsync(() => { lock (threads) threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name)); }).WaitAsync(TimeSpan.FromSeconds(10));
            fineTune.Dispose(); // the host may dispose it twice: the using below must not throw
        }

        Assert.Equal(3, threads.Count);
        Assert.Single(threads.Select(t => t.Id).Distinct());
        Assert.All(threads, t => Assert.Equal(FineTuneThread.Name, t.Name));
        Assert.NotEqual(Environment.CurrentManagedThreadId, threads[0].Id);
    }

    [Fact]
    public async Task ItsCpuTimeIsReadByItsName()
    {
        if (!NamedThreadsCpuTime.IsSupported) return;
        var reader = new NamedThreadsCpuTime(FineTuneThread.Name);
        double before = reader.TotalSeconds();
        using var fineTune = new FineTuneThread();
        double seen = 0;
        await fineTune.RunAsync(() =>
        {
            // Busy until the reader has seen 0.2 s of this thread (read while it runs, as a scrape during a run would); a thread
            // the reader cannot tell by its name never gets there.
            var deadline = System.Diagnostics.Stopwatch.StartNew();
            while ((seen = reader.TotalSeconds() - before) < 0.2 && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                var spin = System.Diagnostics.Stopwatch.StartNew();
                while (spin.ElapsedMilliseconds < 20) Thread.SpinWait(100);
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(seen >= 0.2, $"20 s of spinning on the fine-tuning thread read as {seen:0.00} s of its CPU");
    }
}
