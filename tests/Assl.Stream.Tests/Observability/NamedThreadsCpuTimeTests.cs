using Assl.Stream.Observability;

namespace Assl.Stream.Tests.Observability;

public sealed class NamedThreadsCpuTimeTests
{
    [SkippableFact]
    public void CountsTheCpuOfThisProcessesThreadsByNameAndKeepsItAfterTheyEnd()
    {
        Skip.IfNot(NamedThreadsCpuTime.IsSupported, "needs /proc/self/task (Linux)");
        var mine = new NamedThreadsCpuTime("assl-cputest");
        var nobody = new NamedThreadsCpuTime("assl-nobody-has");
        double before = mine.TotalSeconds();

        // Real work on a named thread until the reader has seen a few ticks of it. A thread's time after the last reading is
        // lost when it ends (the kernel forgets it), so a single reading at a fixed moment could see almost nothing on a
        // loaded machine (0.02 s after 100 ms in one CI run).
        using var stop = new ManualResetEventSlim();
        var burn = new Thread(() =>
        {
            double x = 0;
            while (!stop.IsSet)
                for (int i = 0; i < 100_000; i++) x += Math.Sqrt(i);
            GC.KeepAlive(x);
        }) { Name = "assl-cputest-1" };
        burn.Start();
        double whileRunning;
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while ((whileRunning = mine.TotalSeconds()) - before < 0.05 && deadline.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(20);
        stop.Set();
        burn.Join();
        double afterEnd = mine.TotalSeconds();

        // /proc counts in hundredths of a second.
        Assert.InRange(afterEnd - before, 0.05, 60);
        Assert.True(afterEnd >= whileRunning, "an ended thread keeps the time it was last seen with");
        Assert.Equal(0, nobody.TotalSeconds());
    }

    [Fact]
    public void ReadsNamesWithSpacesAndParenthesesAndTellsReusedThreadIdsApart()
    {
        var tasks = Directory.CreateTempSubdirectory("assl-tasks-");
        try
        {
            // Lines as Linux writes them: pid, (name), state, then fields 4…; utime and stime are fields 14 and 15, starttime 22.
            static string Stat(string tid, string name, long utime, long stime, long start) =>
                $"{tid} ({name}) S 1 1 1 0 -1 4194368 10 0 0 0 {utime} {stime} 0 0 20 0 30 0 {start} 1000 200 18446744073709551615\n";
            void Write(string tid, string stat)
            {
                Directory.CreateDirectory(Path.Combine(tasks.FullName, tid));
                File.WriteAllText(Path.Combine(tasks.FullName, tid, "stat"), stat);
            }
            Write("101", Stat("101", "assl-inference-1", 250, 50, 7000));
            Write("102", Stat("102", "assl-inference) x", 100, 0, 7001));
            Write("103", Stat("103", ".NET TP Worker", 900, 100, 7002));
            var reader = new NamedThreadsCpuTime("assl-inference", tasks.FullName);
            Assert.Equal(4.0, reader.TotalSeconds(), 6);

            // Thread 101 ends and its id is reused by a new inference thread: both count.
            Write("101", Stat("101", "assl-inference-2", 20, 0, 9000));
            Assert.Equal(4.2, reader.TotalSeconds(), 6);
            // Thread 102 ends: its time stays.
            Directory.Delete(Path.Combine(tasks.FullName, "102"), recursive: true);
            Assert.Equal(4.2, reader.TotalSeconds(), 6);
            // A truncated line is skipped, not a failure.
            Write("104", "104 (assl-inference-3) S 1 1");
            Assert.Equal(4.2, reader.TotalSeconds(), 6);

            // One reader, several prefixes: each thread counts under the prefix its name starts with, the rest under none.
            Write("105", Stat("105", "assl-finetune", 300, 30, 9100));
            var both = new NamedThreadsCpuTime(["assl-inference", "assl-finetune"], tasks.FullName);
            var seconds = both.SecondsByPrefix();
            Assert.Equal(2, seconds.Count);
            Assert.Equal(0.2, seconds["assl-inference"], 6); // 102 ended before this reader first looked
            Assert.Equal(3.3, seconds["assl-finetune"], 6);
            Assert.Equal(3.5, both.TotalSeconds(), 6);
            Assert.Equal(0, new NamedThreadsCpuTime(["assl-nobody-has", "assl-nor-this"], tasks.FullName).SecondsByPrefix().Values.Sum());
        }
        finally
        {
            tasks.Delete(recursive: true);
        }
    }
}
