using System.Runtime.InteropServices;

namespace Kgent.Kernel.Platform;

/// <summary>How the C library's allocator serves native libraries (Z3, SQLite). glibc gives every block above 128 KB its
/// own mapping and unmaps it when freed, so each Z3 context, which allocates several such tables, paid ~47 ms of fresh
/// pages: every symbolic verification, not only the first. Serving blocks up to 32 MB from the heap lets a freed
/// context's memory serve the next one (then under 1 ms).</summary>
internal static class NativeHeap
{
    private const int MmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    private const int LargestHeapBlock = 32 * 1024 * 1024; // glibc's ceiling for the threshold on 64-bit hosts

    private static int applied;

    /// <summary>Raises the allocator's mapping threshold, once per process; nothing on a C library without mallopt.</summary>
    public static void KeepLargeBlocks()
    {
        if (Interlocked.Exchange(ref applied, 1) == 1 || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = Mallopt(MmapThreshold, LargestHeapBlock);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: its allocator keeps its own policy.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);
}
