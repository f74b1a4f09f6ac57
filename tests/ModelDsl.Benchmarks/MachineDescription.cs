using System;
using ModelDsl.Layers;

namespace ModelDsl.Benchmarks;

/// <summary>The machine a result was measured on, as every result file states it, with oneMKL's code branch.</summary>
internal static class MachineDescription
{
    public static string Now() =>
        $"{Environment.ProcessorCount} cores ({MklCodeBranch.ProcessorVendor}), {Environment.OSVersion}, .NET {Environment.Version}, oneMKL branch {MklBranch}";

    static string MklBranch =>
        MklCodeBranch.Chosen is { } chosen ? $"{chosen} (set by ModelDsl)"
        : MklCodeBranch.NativeEnvironment(MklCodeBranch.Variable) is { } user ? $"{user} (MKL_CBWR)"
        : "MKL's own dispatch";
}
