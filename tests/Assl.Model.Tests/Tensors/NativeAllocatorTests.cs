using System.Runtime.InteropServices;
using Assl.Model.Tensors;

namespace Assl.Model.Tests.Tensors;

public sealed class NativeAllocatorTests
{
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [Fact]
    public void GlibcTakesTheThresholdsOnLinuxAndTheCallCanRepeat()
    {
        // The CLI and the server call this first thing; a value glibc refuses (above its 32 MiB mmap ceiling, say)
        // would make it return false here rather than quietly leave every step page-faulting.
        bool expected = OperatingSystem.IsLinux();
        try
        {
            Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
            Assert.Equal(expected, NativeAllocator.KeepLargeTensorsInHeap());
        }
        finally
        {
            // The test process shares its allocator with every other test: give the rest glibc's starting values
            // (128 KiB each), so that this test does not change what they run with.
            if (expected)
                foreach (var parameter in new[] { -1, -2, -3 })
                    Mallopt(parameter, 128 * 1024);
        }
    }
}
