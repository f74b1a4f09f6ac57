using System;
using System.IO;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>The repository's root folder (the one holding <c>ModelDsl.sln</c>), found from the test assembly's location.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ModelDsl.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (ModelDsl.sln) is not above " + AppContext.BaseDirectory);
    }
}
