using System;
using System.IO;
using System.Runtime.InteropServices;

namespace ModelDsl.IO;

/// <summary>
/// Flushes a directory's entries to disk. A rename is durable only once the directory that holds the name is flushed:
/// without it, a power cut right after an atomic save can bring back the old name (the data itself was already synced).
/// On Linux and macOS this is <c>fsync</c> on the directory; Windows has no such call (NTFS journals renames), so it
/// is skipped there.
/// </summary>
internal static class DirectorySync
{
    const int ReadOnly = 0; // O_RDONLY: a directory can be opened for reading, and fsync works on that descriptor

    /// <summary>True when <paramref name="directory"/> was flushed; false where the platform or file system cannot (best effort).</summary>
    public static bool Flush(string directory)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory)) return false;
        try
        {
            var descriptor = open(directory, ReadOnly);
            if (descriptor < 0) return false;
            try { return fsync(descriptor) == 0; }
            finally { close(descriptor); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole assembly
    [DllImport("libc", SetLastError = true)]
    static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    static extern int fsync(int descriptor);

    [DllImport("libc")]
    static extern int close(int descriptor);
#pragma warning restore SYSLIB1054
}
