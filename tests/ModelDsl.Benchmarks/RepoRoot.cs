using System.IO;

namespace ModelDsl.Benchmarks;

/// <summary>The directory holding ModelDsl.sln, searched upward from the current directory (the current directory if none).</summary>
internal static class RepoRoot
{
    public static string Find()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "ModelDsl.sln"))) return directory.FullName;
        return Directory.GetCurrentDirectory();
    }
}
