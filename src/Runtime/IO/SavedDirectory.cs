using System;
using System.IO;
using System.Linq;

namespace ModelDsl.IO;

/// <summary>
/// Saves a directory of files that belong together (a model's <c>config.json</c> and weights, an adapter's config and
/// tensors) as one unit: everything is written into a hidden sibling <c>.&lt;name&gt;.tmp-&lt;id&gt;</c>, files of the old
/// directory that the save does not write (a tokenizer, a README) are linked or copied over, and the sibling is then
/// swapped in. On Linux the swap is one atomic <c>renameat2(RENAME_EXCHANGE)</c>; elsewhere the old directory is first
/// renamed to <c>.&lt;name&gt;.old-&lt;id&gt;</c>, and a crash before the new one takes its place leaves that copy, which
/// <see cref="Resolve"/> finds and the next save puts back. So the old or the new copy always loads.
/// </summary>
internal static class SavedDirectory
{
    /// <summary>Test hook: called after the old directory was renamed aside (non-atomic swap only), before the new one is renamed in.</summary>
    internal static Action<string>? OldCopyMovedAside { get; set; }

    /// <summary>Test hook: when true, the swap takes the two-rename path even where an atomic exchange exists.</summary>
    internal static bool ForceTwoRenameSwap { get; set; }

    /// <summary>Calls <paramref name="writeInto"/> with a fresh staging directory, then swaps it in as <paramref name="directory"/>.</summary>
    public static void Write(string directory, Action<string> writeInto)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var (full, parent, name) = Split(directory);
        Directory.CreateDirectory(parent);
        Recover(full, parent, name);
        var staged = Path.Combine(parent, $".{name}.tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staged);
        try
        {
            writeInto(staged);
            if (Directory.Exists(full)) CarryOver(full, staged);
            DirectorySync.Flush(staged);
            Swap(staged, full, parent, name);
        }
        catch
        {
            TryDelete(staged);
            throw;
        }
    }

    /// <summary>
    /// The directory to load <paramref name="directory"/> from: itself, or — when it is missing because a save crashed
    /// mid-swap — the old copy that save left beside it.
    /// </summary>
    public static string Resolve(string directory)
    {
        if (string.IsNullOrEmpty(directory) || Directory.Exists(directory)) return directory;
        var (_, parent, name) = Split(directory);
        return OldCopies(parent, name).FirstOrDefault() ?? directory;
    }

    static (string Full, string Parent, string Name) Split(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var parent = Path.GetDirectoryName(full)
            ?? throw new ArgumentException($"'{directory}' is a file-system root; save into a folder inside it.", nameof(directory));
        return (full, parent, Path.GetFileName(full));
    }

    static void Swap(string staged, string full, string parent, string name)
    {
        if (!Directory.Exists(full))
        {
            Directory.Move(staged, full);
            DirectorySync.Flush(parent);
            return;
        }
        if (!ForceTwoRenameSwap && NativeFiles.TryExchange(staged, full))
        {
            DirectorySync.Flush(parent);
            TryDelete(staged); // now the old directory
            return;
        }
        var old = Path.Combine(parent, $".{name}.old-{Guid.NewGuid():N}");
        Directory.Move(full, old);
        DirectorySync.Flush(parent);
        OldCopyMovedAside?.Invoke(old);
        Directory.Move(staged, full);
        DirectorySync.Flush(parent);
        TryDelete(old);
    }

    // What crashed saves left: an old copy whose replacement never arrived goes back; other leftovers go.
    static void Recover(string full, string parent, string name)
    {
        var old = OldCopies(parent, name).ToList();
        if (!Directory.Exists(full) && old.Count > 0)
        {
            Directory.Move(old[0], full);
            old.RemoveAt(0);
        }
        foreach (var leftover in old.Concat(Directory.EnumerateDirectories(parent, $".{name}.tmp-*")).ToList())
            TryDelete(leftover);
    }

    // Newest first.
    static System.Collections.Generic.IEnumerable<string> OldCopies(string parent, string name) =>
        Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent, $".{name}.old-*").OrderByDescending(Directory.GetLastWriteTimeUtc)
            : [];

    // Files the new save does not write stay: hard-linked (no copy of the bytes) where the platform allows, else copied.
    static void CarryOver(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            if (File.Exists(target) || Directory.Exists(target) || IsAtomicWriteLeftover(file)) continue;
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (!NativeFiles.TryHardLink(file, target)) File.Copy(file, target);
        }
    }

    // The hidden temporary file of an atomic write cut short (see AtomicFile).
    static bool IsAtomicWriteLeftover(string file)
    {
        var name = Path.GetFileName(file);
        return name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal);
    }

    static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* best effort: the next save removes it */ }
        catch (UnauthorizedAccessException) { }
    }
}
