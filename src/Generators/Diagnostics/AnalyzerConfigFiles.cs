using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Families.FromConfig;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// The AdditionalFiles an analyzer sees, read only when a <c>[FromConfig]</c> path names one: what the generator's
/// pipeline gets from AdditionalTextsProvider, for the one file asked for.
/// </summary>
internal sealed class AnalyzerConfigFiles
{
    readonly ImmutableArray<AdditionalText> _files;
    readonly CancellationToken _cancellationToken;

    public AnalyzerConfigFiles(ImmutableArray<AdditionalText> files, CancellationToken cancellationToken)
    {
        _files = files;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The file <paramref name="declaredPath"/> names (read), or none.</summary>
    public IReadOnlyList<ConfigFile> For(string? declaredPath)
    {
        if (declaredPath is null) return [];
        var match = ConfigFile.Match(declaredPath, _files.Select(f => f.Path));
        var file = match is null ? null : _files.FirstOrDefault(f => ConfigFile.Normalize(f.Path) == match);
        if (file is null) return [];
        var text = file.GetText(_cancellationToken);
        return [new ConfigFile(match!, text is null || text.Length > JsonParser.MaxLength ? (text is null ? null : "") : text.ToString(), text is { Length: > JsonParser.MaxLength })];
    }
}
