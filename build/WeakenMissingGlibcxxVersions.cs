// An MSBuild task (compiled by RoslynCodeTaskFactory) that lets TorchSharp's native bridge load on
// Linux distributions whose libstdc++ is older than the one it was built against.
//
// libLibTorchSharp.so (TorchSharp 0.107.0) lists GLIBCXX_3.4.32 among the versions it needs from
// libstdc++, but the only symbol bound to that version is _ZSt21ios_base_library_initv, and nothing
// relocates against it. Debian 12's libstdc++ stops at GLIBCXX_3.4.30, so the dynamic loader refuses
// the library and TorchSharp reports a misleading "no reference to libtorch-cpu" error. Marking that
// version requirement weak (VER_FLG_WEAK in .gnu.version_r) tells the loader it may be absent.
//
// The task changes a copy in the build output, never the package cache, and only when the machine's
// libstdc++ lacks the version. It is idempotent.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenMissingGlibcxxVersions : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    /// <summary>The native libraries to inspect (missing files are ignored).</summary>
    [Required] public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Version names that are known to be safe to weaken (semicolon-separated).</summary>
    [Required] public string Versions { get; set; } = "";

    public override bool Execute()
    {
        var systemLib = LibStdCxxCandidates.FirstOrDefault(File.Exists);
        if (systemLib is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; leaving native libraries unchanged.");
            return true;
        }

        var systemBytes = File.ReadAllBytes(systemLib);
        var missing = new HashSet<string>(
            Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(v => v.Trim())
                .Where(v => IndexOf(systemBytes, Encoding.ASCII.GetBytes(v + "\0")) < 0),
            StringComparer.Ordinal);
        if (missing.Count == 0) return true;

        foreach (var item in Libraries)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var weakened = Weaken(path, missing);
                if (weakened.Count > 0)
                    Log.LogMessage(MessageImportance.High,
                        $"ModelDsl: marked {string.Join(", ", weakened)} weak in {path} (system libstdc++ at {systemLib} lacks it).");
            }
            catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
            {
                Log.LogWarning($"ModelDsl: could not patch {path}: {e.Message}");
            }
        }
        return !Log.HasLoggedErrors;
    }

    static List<string> Weaken(string path, HashSet<string> versions)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            throw new InvalidDataException("not an ELF file");
        if (bytes[4] != 2 || bytes[5] != 1)
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");

        long sectionHeaders = (long)BitConverter.ToUInt64(bytes, 0x28);
        int entrySize = BitConverter.ToUInt16(bytes, 0x3A);
        int count = BitConverter.ToUInt16(bytes, 0x3C);
        var changed = new List<string>();

        for (int s = 0; s < count; s++)
        {
            long header = sectionHeaders + (long)s * entrySize;
            Require(bytes, header, 64);
            if (BitConverter.ToUInt32(bytes, (int)header + 4) != ShtGnuVerneed) continue;

            long offset = (long)BitConverter.ToUInt64(bytes, (int)header + 24);
            uint link = BitConverter.ToUInt32(bytes, (int)header + 40);
            uint needCount = BitConverter.ToUInt32(bytes, (int)header + 44);
            long stringsHeader = sectionHeaders + (long)link * entrySize;
            Require(bytes, stringsHeader, 64);
            long strings = (long)BitConverter.ToUInt64(bytes, (int)stringsHeader + 24);

            long need = offset;
            for (uint n = 0; n < needCount; n++)
            {
                Require(bytes, need, 16);
                int auxCount = BitConverter.ToUInt16(bytes, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(bytes, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    Require(bytes, aux, 16);
                    var name = ReadCString(bytes, strings + BitConverter.ToUInt32(bytes, (int)aux + 8));
                    int flagsAt = (int)aux + 4;
                    ushort flags = BitConverter.ToUInt16(bytes, flagsAt);
                    if (versions.Contains(name) && (flags & VerFlagWeak) == 0)
                    {
                        flags |= VerFlagWeak;
                        bytes[flagsAt] = (byte)flags;
                        bytes[flagsAt + 1] = (byte)(flags >> 8);
                        changed.Add(name);
                    }
                    aux += BitConverter.ToUInt32(bytes, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(bytes, (int)need + 12);
            }
        }

        if (changed.Count > 0)
        {
            // Write beside and rename, so a failed write never leaves a half-patched library. A rename (not a
            // copy over the old file) also matters because the output's copy may be a hard link into the
            // package cache, which must never change.
            var temp = path + ".weakening";
            File.WriteAllBytes(temp, bytes);
            File.Replace(temp, path, destinationBackupFileName: null);
        }
        return changed;
    }

    static void Require(byte[] bytes, long offset, int length)
    {
        if (offset < 0 || offset + length > bytes.Length) throw new InvalidDataException("truncated ELF structure");
    }

    static string ReadCString(byte[] bytes, long offset)
    {
        Require(bytes, offset, 1);
        int end = (int)offset;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)offset, end - (int)offset);
    }

    static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack[i] != needle[0]) continue;
            int j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }
}
