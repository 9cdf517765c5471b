using Assl.Model.Tensors;

namespace Assl.Model.Tests.Tensors;

public sealed class NativeAllocatorTests
{
    [Fact]
    public void GlibcTakesTheThresholdsOnLinuxAndTheCallCanRepeat()
    {
        // The CLI and the server call this first thing; a value glibc refuses (above its 32 MiB mmap ceiling, say)
        // would make it return false here rather than quietly leave every step page-faulting. The settings stay for
        // the rest of the test process, as they do in the products: putting glibc's 128 KiB back by hand would be
        // worse than its defaults (an explicit threshold stops glibc from raising it as blocks are freed), and made
        // this project's tests take 4.5 minutes instead of under one.
        bool expected = OperatingSystem.IsLinux();
        Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
        Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
    }

    [Fact]
    public void TheOptOutVariableKeepsGlibcsOwnThresholds()
    {
        string? before = Environment.GetEnvironmentVariable(NativeAllocator.OptOutVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeAllocator.OptOutVariable, "1");
            Assert.False(NativeAllocator.KeepLargeTensorsInHeap());
            Environment.SetEnvironmentVariable(NativeAllocator.OptOutVariable, "0");
            Assert.Equal(OperatingSystem.IsLinux(), NativeAllocator.KeepLargeTensorsInHeap());
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeAllocator.OptOutVariable, before);
        }
    }
}
