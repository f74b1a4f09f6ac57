using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace ModelDsl.Benchmarks;

/// <summary>
/// The process's resident size as Linux counts it (<c>/proc/self/status</c>), which includes libtorch's native
/// allocations that no managed counter sees.
/// </summary>
internal static class ResidentMemory
{
    /// <summary>The resident size now (VmRSS), in bytes.</summary>
    public static long Current => Status("VmRSS:");

    /// <summary>The resident high-water mark since the process started or <see cref="ResetPeak"/> (VmHWM), in bytes.</summary>
    public static long Peak => Status("VmHWM:");

    /// <summary>
    /// Frees what the runtime and the C heap can give back, then resets the high-water mark to the resident size, so a
    /// later <see cref="Peak"/> shows only what was allocated after; returns that size.
    /// </summary>
    public static long ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        malloc_trim(0);
        File.WriteAllText("/proc/self/clear_refs", "5");
        return Current;
    }

    static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    [DllImport("libc")]
    static extern int malloc_trim(nuint pad);
}
