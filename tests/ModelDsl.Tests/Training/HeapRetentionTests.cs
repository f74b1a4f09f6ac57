using System.Runtime.InteropServices;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// <see cref="HeapRetention"/> as glibc's own statistics see it. A 48 MiB block is above the largest mmap threshold
/// glibc's defaults ever reach (32 MiB), so without the setting it is always mapped on its own and unmapped on free.
/// </summary>
[Collection(ProcessMemoryCollection.Name)]
public sealed class HeapRetentionTests
{
    const long BlockBytes = 48L << 20;

    [Fact]
    public void A_freed_48_MiB_tensor_stays_in_the_heap_instead_of_being_unmapped()
    {
        using var scope = HeapRetention.Begin();
        Assert.True(HeapRetention.Active, "glibc should accept both thresholds on this Linux machine");
        var before = MallocStatistics.Now();
        var tensor = empty(BlockBytes / sizeof(float));
        var holding = MallocStatistics.Now();
        tensor.Dispose();
        var after = MallocStatistics.Now();

        Assert.True(holding.MappedBytes - before.MappedBytes < BlockBytes,
            $"the block was mapped on its own: mapped bytes {before.MappedBytes} → {holding.MappedBytes}");
        // Less a little: other allocations in the same heap may take a few bytes of what was freed meanwhile.
        Assert.True(after.FreeHeapBytes - holding.FreeHeapBytes >= BlockBytes - (1L << 20),
            $"the freed block did not stay in the heap: free heap bytes {holding.FreeHeapBytes} → {after.FreeHeapBytes}");
    }

    /// <summary>glibc's <c>mallinfo2</c>, summed over every arena.</summary>
    readonly record struct MallocStatistics(long MappedBytes, long FreeHeapBytes)
    {
        public static MallocStatistics Now()
        {
            var info = mallinfo2();
            return new((long)info.hblkhd, (long)info.fordblks);
        }

        [StructLayout(LayoutKind.Sequential)]
        struct MallInfo2
        {
            public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
        }

#pragma warning disable SYSLIB1054
        [DllImport("libc")]
        static extern MallInfo2 mallinfo2();
#pragma warning restore SYSLIB1054
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessMemoryCollection
{
    public const string Name = "Process memory (reads the allocator's process-wide statistics)";
}
