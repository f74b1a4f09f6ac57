using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.Generators.Specs;

/// <summary>
/// A source position as equatable data (a <see cref="Location"/> holds its syntax tree and must not enter the
/// pipeline), for the few diagnostics the generator reports itself.
/// </summary>
internal sealed record SourceSpot(string Path, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter)
{
    public static SourceSpot? Of(Location? location)
    {
        if (location is null || !location.IsInSource) return null;
        var lines = location.GetLineSpan();
        return new SourceSpot(lines.Path, location.SourceSpan.Start, location.SourceSpan.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }

    public Location ToLocation() => Location.Create(Path, new TextSpan(Start, Length),
        new LinePositionSpan(new LinePosition(StartLine, StartCharacter), new LinePosition(EndLine, EndCharacter)));
}
