using System;
using System.IO;
using System.Linq;

namespace ModelDsl.Benchmarks;

/// <summary>
/// The machine a result was measured on, as every result file states it. The processor's model and family are part of
/// it because the shared machine changed under the same name ("AMD EPYC": Zen 4 until a restart on 2026-12-01 at 03:42
/// UTC, Zen 5, family 26, since), and oneMKL's speed and the products' last bits differ between them.
/// </summary>
internal static class MachineDescription
{
    public static string Now() =>
        $"{Environment.ProcessorCount} cores ({Processor()}), {Environment.OSVersion}, .NET {Environment.Version}";

    static string Processor()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (!File.Exists(cpuInfo)) return "processor unknown";
        var lines = File.ReadLines(cpuInfo).TakeWhile(l => l.Length > 0).ToList();
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"{Field("model name")}, family {Field("cpu family")} model {Field("model\t")}";
    }
}
