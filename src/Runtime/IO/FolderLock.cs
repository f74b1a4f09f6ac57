using System;
using System.IO;

namespace ModelDsl.IO;

/// <summary>
/// An operating-system lock on a folder for as long as this object lives: a <c>.lock</c> file opened with
/// <see cref="FileShare.None"/> (an exclusive <c>flock</c> on Linux and macOS, a sharing lock on Windows). The
/// operating system releases it when the process ends, however it ends, so a crashed writer never leaves the folder
/// locked; the file itself stays behind and means nothing while nobody holds it.
/// </summary>
internal sealed class FolderLock : IDisposable
{
    /// <summary>Name of the lock file inside the folder.</summary>
    public const string FileName = ".lock";

    readonly FileStream _handle;

    FolderLock(FileStream handle) => _handle = handle;

    /// <summary>
    /// Locks <paramref name="folder"/> (created if missing). When another process, or another object in this process,
    /// holds the lock, throws what <paramref name="inUse"/> makes of the system's message.
    /// </summary>
    public static FolderLock Acquire(string folder, Func<string, Exception> inUse)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, FileName);
        try
        {
            return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw inUse(e.Message);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
