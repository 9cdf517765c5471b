using System.Runtime.InteropServices;

namespace Assl.Model.Tensors;

/// <summary>
/// Keeps libtorch's large CPU tensors in glibc's heap instead of fresh <c>mmap</c>s, so that a training step does not
/// page-fault its way through every activation it allocates.
/// </summary>
/// <remarks>
/// glibc serves an allocation above its mmap threshold (128 KiB at start, raised only as mmapped blocks are freed)
/// with a fresh mapping, whose every page faults and is zeroed by the kernel on first touch; and it returns freed heap
/// above its trim threshold to the kernel, to be faulted in again by the next step. A graph encoder's activations are
/// megabytes each, so a step paid that for every one: `assl bench training-step` showed the joint pass of 64 windows
/// at 4× the pass of 32, and at 2× once the thresholds below were in place (docs/results/nucla-findings.md, 2026-12-06).
/// What a process allocates is unchanged; it keeps its high-water mark instead of handing it back between steps.
/// </remarks>
public static class NativeAllocator
{
    // mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapThreshold = -3;

    /// <summary>glibc's ceiling for the mmap threshold on 64-bit (HEAP_MAX_SIZE / 2): larger blocks are mapped anyway.</summary>
    private const int MmapThresholdBytes = 32 * 1024 * 1024;

    private const int TrimThresholdBytes = 1024 * 1024 * 1024;
    private const int TopPadBytes = 64 * 1024 * 1024;

    /// <summary>Set to 1 to keep glibc's own thresholds: to compare, or where a process must hand freed memory back.</summary>
    public const string OptOutVariable = "ASSL_MALLOC_DEFAULTS";

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    /// <summary>
    /// Sets the thresholds, once per process, before the first tensor is allocated. True when glibc took them; false
    /// elsewhere (macOS, Windows, musl without mallopt), where there is nothing to do, and when <see cref="OptOutVariable"/> is 1.
    /// </summary>
    public static bool KeepLargeTensorsInHeap()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(OptOutVariable) == "1") return false;
        try
        {
            return Mallopt(MmapThreshold, MmapThresholdBytes) == 1
                & Mallopt(TrimThreshold, TrimThresholdBytes) == 1
                & Mallopt(TopPad, TopPadBytes) == 1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
