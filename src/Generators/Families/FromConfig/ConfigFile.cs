using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generators.Families.FromConfig;

/// <summary>A <c>.json</c> file of the project's AdditionalFiles: its path ('/' separators) and its text (null when unreadable).</summary>
/// <param name="Path">The file's path, '/' separators.</param>
/// <param name="Text">Its text, or null when it could not be read.</param>
/// <param name="TooLarge">It is larger than a config.json can be (its text is not kept).</param>
internal sealed record ConfigFile(string Path, string? Text, bool TooLarge = false)
{
    /// <summary>The path with '/' separators, so a declared "models\qwen\config.json" matches on every OS.</summary>
    public static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>
    /// The path among <paramref name="paths"/> that <paramref name="declared"/> names: equal to it, or ending with "/" + it
    /// (a leading "./" ignored), as CommunityToolkit and other generators match AdditionalFiles; the shortest when
    /// several do, so a project's own file wins over a deeper copy.
    /// </summary>
    public static string? Match(string declared, IEnumerable<string> paths)
    {
        var wanted = Normalize(declared);
        while (wanted.StartsWith("./", StringComparison.Ordinal)) wanted = wanted.Substring(2);
        if (wanted.Length == 0) return null;
        return paths.Select(Normalize)
            .Where(p => p == wanted || p.EndsWith("/" + wanted, StringComparison.Ordinal))
            .OrderBy(p => p.Length).ThenBy(p => p, StringComparer.Ordinal)
            .FirstOrDefault();
    }
}
