using System;
using System.IO;
using ModelDsl.IO;
using Xunit;

namespace ModelDsl.Tests.IO;

/// <summary>The directory flush that makes an atomic rename durable reaches the operating system.</summary>
public sealed class DirectorySyncTests
{
    [Fact]
    public void A_directory_is_flushed_on_unix_and_a_missing_one_is_reported()
    {
        using var directory = new TempDirectory();
        // On Linux and macOS a wrong P/Invoke (library, entry point, flags) would return false here.
        Assert.Equal(!OperatingSystem.IsWindows(), DirectorySync.Flush(directory.Path));
        Assert.False(DirectorySync.Flush(Path.Combine(directory.Path, "absent")));
    }
}
