using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.Generators.Tests.Support;

/// <summary>An AdditionalFiles entry held in memory, as a project's <c>&lt;AdditionalFiles Include="…"/&gt;</c> gives one.</summary>
internal sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    readonly SourceText _text = SourceText.From(text);

    public override string Path => path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
