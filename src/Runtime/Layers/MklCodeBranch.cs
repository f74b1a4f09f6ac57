using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace ModelDsl.Layers;

/// <summary>
/// Chooses oneMKL's code branch for libtorch's CPU matrix products. libtorch's CPU build multiplies with oneMKL, which
/// takes its tuned kernels only on processors it identifies as Intel's and runs generic ones everywhere else; on an
/// AMD EPYC (Zen 4) the AVX2 branch made 8-row products about 2× and training steps measurably faster
/// (docs/performance.md). <c>MKL_CBWR</c> is oneMKL's documented setting for the branch (its conditional numerical
/// reproducibility mode, which also makes the products repeat exactly for a given thread count).
/// </summary>
/// <remarks>
/// ModelDsl sets <c>MKL_CBWR=AVX2</c> when its assembly loads, only where all of these hold: Linux on x86-64 (native
/// code reads the variable through libc's environment, which .NET's own <see cref="Environment"/> does not write),
/// a processor that is not Intel's and has AVX2 and FMA, no <c>MKL_CBWR</c> of the user's, and no
/// <c>MODELDSL_KEEP_MKL_DISPATCH</c>. oneMKL reads the variable at its first product, so a product computed before
/// ModelDsl loads keeps MKL's own choice. To keep MKL's choice, set <c>MODELDSL_KEEP_MKL_DISPATCH=1</c>; to choose
/// another branch, set <c>MKL_CBWR</c> yourself (it is never overwritten). On Windows set it in the environment.
/// </remarks>
public static class MklCodeBranch
{
    /// <summary>oneMKL's variable for the code branch.</summary>
    public const string Variable = "MKL_CBWR";

    /// <summary>Set (to anything) to leave oneMKL's own dispatch alone.</summary>
    public const string KeepVariable = "MODELDSL_KEEP_MKL_DISPATCH";

    /// <summary>The branch ModelDsl chose for this process, or null when it left oneMKL's choice alone.</summary>
    public static string? Chosen { get; private set; }

    /// <summary>The processor's vendor as CPUID reports it ("GenuineIntel", "AuthenticAMD", …), or "" off x86.</summary>
    public static string ProcessorVendor { get; } = ReadProcessorVendor();

    /// <summary>
    /// The branch for a machine, or null to leave oneMKL's choice: AVX2 for a non-Intel x86-64 processor with AVX2 and
    /// FMA on Linux when neither variable is set. (The AVX-512 branch is documented for Intel's Xeons only.)
    /// </summary>
    public static string? BranchFor(bool linux, string vendor, bool avx2AndFma, string? userBranch, string? keep) =>
        linux && vendor.Length > 0 && vendor != "GenuineIntel" && avx2AndFma
            && string.IsNullOrEmpty(userBranch) && string.IsNullOrEmpty(keep)
            ? "AVX2"
            : null;

    /// <summary><see cref="BranchFor"/> for the machine this process runs on.</summary>
    internal static string? BranchForThisMachine(string? userBranch, string? keep) =>
        BranchFor(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64,
            ProcessorVendor, Avx2.IsSupported && Fma.IsSupported, userBranch, keep);

    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255", Justification = "oneMKL reads MKL_CBWR at its first product, so it must be set before any ModelDsl code multiplies.")]
    internal static void ChooseWhenLoaded()
    {
        try
        {
            var branch = BranchForThisMachine(NativeEnvironment(Variable), NativeEnvironment(KeepVariable));
            if (branch is not null && setenv(Variable, branch, 0) == 0) Chosen = branch;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // No libc to write to: oneMKL keeps its own choice.
        }
    }

    /// <summary>The variable as native code sees it (libc's environment, which can differ from .NET's copy).</summary>
    internal static string? NativeEnvironment(string name)
    {
        var value = getenv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    static string ReadProcessorVendor()
    {
        if (!X86Base.IsSupported) return "";
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        var bytes = new byte[12];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), ebx);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), edx);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 4), ecx);
        return Encoding.ASCII.GetString(bytes);
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole assembly
    [DllImport("libc")]
    static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    [DllImport("libc")]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
#pragma warning restore SYSLIB1054
}
