using System;
using System.Runtime.InteropServices;

namespace ModelDsl.IO;

/// <summary>
/// The two file-system calls .NET does not offer: exchanging two directories in one atomic rename (Linux
/// <c>renameat2(RENAME_EXCHANGE)</c>) and hard-linking a file. Both report false where the platform or the file system
/// cannot, and the caller falls back.
/// </summary>
internal static class NativeFiles
{
    const int CurrentDirectory = -100; // AT_FDCWD
    const uint Exchange = 2;           // RENAME_EXCHANGE

    /// <summary>Swaps the directories at <paramref name="a"/> and <paramref name="b"/> atomically; false when unsupported.</summary>
    public static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try { return renameat2(CurrentDirectory, a, CurrentDirectory, b, Exchange) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

    /// <summary>Makes <paramref name="link"/> a second name of the file <paramref name="existing"/>; false when unsupported.</summary>
    public static bool TryHardLink(string existing, string link)
    {
        if (OperatingSystem.IsWindows()) return false;
        try { return NativeLink(existing, link) == 0; }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { return false; }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code enabled for the whole assembly
    [DllImport("libc", SetLastError = true)]
    static extern int renameat2(int oldDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath,
        int newDirectory, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    [DllImport("libc", EntryPoint = "link", SetLastError = true)]
    static extern int NativeLink([MarshalAs(UnmanagedType.LPUTF8Str)] string existing, [MarshalAs(UnmanagedType.LPUTF8Str)] string link);
#pragma warning restore SYSLIB1054
}
