using System;
using System.Runtime.Intrinsics.X86;
using ModelDsl.Layers;
using Xunit;

namespace ModelDsl.Tests.Foundation;

public class MklCodeBranchTests
{
    [Theory]
    [InlineData(true, "AuthenticAMD", true, null, null, "AVX2")]
    [InlineData(true, "HygonGenuine", true, "", "", "AVX2")]
    [InlineData(true, "GenuineIntel", true, null, null, null)]   // MKL already takes its tuned kernels
    [InlineData(false, "AuthenticAMD", true, null, null, null)]  // native code would not see .NET's environment
    [InlineData(true, "AuthenticAMD", false, null, null, null)]  // no AVX2 and FMA: the branch would not run
    [InlineData(true, "", true, null, null, null)]               // not x86
    [InlineData(true, "AuthenticAMD", true, "AVX512", null, null)] // the user's own branch is kept
    [InlineData(true, "AuthenticAMD", true, "AUTO", null, null)]
    [InlineData(true, "AuthenticAMD", true, null, "1", null)]    // asked to keep MKL's dispatch
    public void The_branch_is_chosen_only_for_a_non_Intel_AVX2_processor_on_Linux_with_nothing_set(
        bool linux, string vendor, bool avx2AndFma, string? userBranch, string? keep, string? expected) =>
        Assert.Equal(expected, MklCodeBranch.BranchFor(linux, vendor, avx2AndFma, userBranch, keep));

    [Fact]
    public void Loading_ModelDsl_sets_the_branch_native_code_reads_where_the_machine_calls_for_it()
    {
        // .NET's copy of the environment is the one the process started with, before ModelDsl wrote to libc's.
        var expected = MklCodeBranch.BranchForThisMachine(
            Environment.GetEnvironmentVariable(MklCodeBranch.Variable), Environment.GetEnvironmentVariable(MklCodeBranch.KeepVariable));

        Assert.Equal(expected, MklCodeBranch.Chosen);
        if (expected is not null) Assert.Equal(expected, MklCodeBranch.NativeEnvironment(MklCodeBranch.Variable));
        else Assert.Equal(Environment.GetEnvironmentVariable(MklCodeBranch.Variable), MklCodeBranch.NativeEnvironment(MklCodeBranch.Variable));
    }

    [Fact]
    public void The_processor_vendor_is_cpuids_twelve_characters_on_x86()
    {
        if (!X86Base.IsSupported)
        {
            Assert.Equal("", MklCodeBranch.ProcessorVendor);
            return;
        }
        Assert.Equal(12, MklCodeBranch.ProcessorVendor.Length);
        Assert.All(MklCodeBranch.ProcessorVendor, c => Assert.InRange(c, ' ', '~'));
    }
}
