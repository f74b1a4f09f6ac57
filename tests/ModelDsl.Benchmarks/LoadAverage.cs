using System.IO;
using System.Linq;

namespace ModelDsl.Benchmarks;

/// <summary>The machine's load average, which every timing on the shared machine is reported beside.</summary>
internal static class LoadAverage
{
    /// <summary>The 1, 5 and 15 minute load averages from <c>/proc/loadavg</c>, or "unknown" where it cannot be read.</summary>
    public static string Now()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
    }
}
