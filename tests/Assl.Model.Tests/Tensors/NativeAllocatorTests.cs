using Assl.Model.Tensors;

namespace Assl.Model.Tests.Tensors;

public sealed class NativeAllocatorTests
{
    [Fact]
    public void GlibcTakesTheThresholdsOnLinuxAndTheCallCanRepeat()
    {
        // The CLI and the server call this first thing; a value glibc refuses (above its 32 MiB mmap ceiling, say)
        // would make it return false here rather than quietly leave every step page-faulting.
        bool expected = OperatingSystem.IsLinux();
        Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
        Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
    }
}
