using System;
using System.IO;

namespace ModelDsl.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a
/// half-written file: the bytes go to a temporary file in the same directory (so the final rename stays
/// on one file system), are flushed to disk, the temporary file is then renamed over the target, and the directory
/// is flushed so the rename itself survives a power cut.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> by calling <paramref name="write"/> with a stream over a temporary file
    /// and then replacing the target. If <paramref name="write"/> throws, the target is left untouched and the
    /// temporary file is deleted.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' has no parent directory to hold the temporary file.", nameof(path));
        Directory.CreateDirectory(directory);
        // A leading dot and a random suffix: hidden from casual listings and unique per writer.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
            DirectorySync.Flush(directory);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* best effort: the original exception matters more */ }
        catch (UnauthorizedAccessException) { }
    }
}
