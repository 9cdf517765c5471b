using Assl.Stream.OnlineLearning.Loop;

namespace Assl.Stream.Tests.OnlineLearning;

public sealed class BackgroundThreadPriorityTests
{
    private static T OnOwnThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }

    [Fact]
    public void LowersOnlyTheCallingThread()
    {
        if (!OperatingSystem.IsLinux()) return; // per-thread nice values are a Linux feature; elsewhere the managed priority is used
        var before = BackgroundThreadPriority.CurrentThreadNice();
        var (error, lowered) = OnOwnThread(() => (BackgroundThreadPriority.LowerCurrentThread(17), BackgroundThreadPriority.CurrentThreadNice()));

        Assert.Null(error);
        Assert.Equal(17, lowered);
        Assert.Equal(before, BackgroundThreadPriority.CurrentThreadNice());
        Assert.Equal(before, OnOwnThread(BackgroundThreadPriority.CurrentThreadNice));
    }

    [Fact]
    public void ZeroLeavesThePriorityAloneAndOutOfRangeIsRefused()
    {
        Assert.Equal(OnOwnThread(BackgroundThreadPriority.CurrentThreadNice),
            OnOwnThread(() => { BackgroundThreadPriority.LowerCurrentThread(0); return BackgroundThreadPriority.CurrentThreadNice(); }));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundThreadPriority.LowerCurrentThread(20));
        Assert.Throws<ArgumentOutOfRangeException>(() => BackgroundThreadPriority.LowerCurrentThread(-1));
    }
}
