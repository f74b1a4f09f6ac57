using System;
using System.Collections.Generic;

namespace ModelDsl.Chat.Jinja;

/// <summary>
/// A template's source as jinja2 lexes it: every line break (<c>\r\n</c>, <c>\r</c>, <c>\n</c>) becomes <c>\n</c> and one
/// trailing newline is dropped (jinja2's default <c>keep_trailing_newline=False</c>). Maps offsets to line and column.
/// </summary>
internal sealed class SourceText
{
    readonly int[] _lineStarts;

    public SourceText(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = source.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (text.EndsWith('\n')) text = text[..^1];
        Text = text;
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public SourcePosition PositionOf(int offset)
    {
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }
}
