using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace ModelDsl.Training;

/// <summary>
/// Keeps the memory libtorch frees during training inside the process, so the next step reuses it instead of taking
/// fresh pages from the kernel. libtorch allocates each step's activations, gradients and temporaries with the C
/// library's <c>malloc</c> and frees them within the step. By default glibc maps every block above its mmap threshold
/// (128 KiB, rising to at most 32 MiB) on its own and unmaps it on free, and gives the heap's free top back once it
/// exceeds the trim threshold, so every step faults the same memory in again page by page: on GPT-2 6 × 384 with
/// batch 8 × 256 the kernel's share of a full fine-tuning run was 18 % of its CPU time.
/// <para>
/// On Linux with glibc, <see cref="Begin"/> raises both thresholds (<c>mallopt</c>) the first time it runs. glibc has
/// no call that reads them back, so the change lasts for the process; what training leaves free is handed back to the
/// kernel (<c>malloc_trim</c>) when the scope ends. Elsewhere it does nothing. Blocks of 1 GiB and more are still
/// mapped on their own, and so are blocks over 64 MiB that a thread other than the process's first allocates (glibc's
/// per-thread heaps are at most 64 MiB).
/// </para>
/// </summary>
internal static class HeapRetention
{
    // malloc.h's parameter numbers.
    const int MmapThresholdParameter = -3, TrimThresholdParameter = -1;
    const int MmapThreshold = 1 << 30;
    const int TrimThreshold = int.MaxValue;

    static int s_applied;

    /// <summary>True once this process's allocator keeps freed memory (glibc accepted both settings).</summary>
    public static bool Active { get; private set; }

    /// <summary>Makes the allocator keep freed memory (once per process); the scope's end hands free memory back.</summary>
    public static IDisposable Begin()
    {
        if (!OperatingSystem.IsLinux()) return new Scope(false);
        if (Interlocked.Exchange(ref s_applied, 1) == 0)
        {
            try { Active = mallopt(MmapThresholdParameter, MmapThreshold) == 1 && mallopt(TrimThresholdParameter, TrimThreshold) == 1; }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { Active = false; }
        }
        return new Scope(Active);
    }

    /// <summary>Gives the heap's free pages back to the kernel.</summary>
    public static void Release()
    {
        if (!Active) return;
        try { malloc_trim(0); }
        catch (EntryPointNotFoundException) { } // a C library without it keeps the memory, as before
    }

    sealed class Scope(bool release) : IDisposable
    {
        public void Dispose()
        {
            if (release) Release();
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole assembly
    [DllImport("libc")]
    static extern int mallopt(int parameter, int value);

    [DllImport("libc")]
    static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}
