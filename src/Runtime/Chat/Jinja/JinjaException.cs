using System;

namespace ModelDsl.Chat.Jinja;

/// <summary>A 1-based line and column in a template's source (after its newlines were normalized to <c>\n</c>).</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>What went wrong, in the terms jinja2 itself uses, so callers can tell a template's own
/// <c>raise_exception</c> from a bug in the template or a feature this engine does not implement.</summary>
internal enum JinjaErrorKind
{
    /// <summary>The template text is not valid Jinja (jinja2's <c>TemplateSyntaxError</c>).</summary>
    Syntax,
    /// <summary>The template called <c>raise_exception(message)</c> (jinja2's <c>TemplateError</c>).</summary>
    Raised,
    /// <summary>An operation on an undefined value that jinja2's default <c>Undefined</c> refuses (<c>UndefinedError</c>).</summary>
    Undefined,
    /// <summary>A Python-level error while evaluating: wrong types, bad index, division by zero (<c>TypeError</c>, <c>ValueError</c>…).</summary>
    Runtime,
    /// <summary>Something the immutable sandbox forbids, such as <c>list.append</c> (<c>SecurityError</c>).</summary>
    Security,
    /// <summary>A jinja2 feature this engine does not implement; refused by name rather than rendered differently.</summary>
    Unsupported,
}

/// <summary>An error raised while parsing or rendering a template, with the template position where it applies.</summary>
internal sealed class JinjaException : Exception
{
    public JinjaException(JinjaErrorKind kind, string message, SourcePosition? position = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Position = position;
    }

    public JinjaErrorKind Kind { get; }

    /// <summary>Where in the template the error applies, when known.</summary>
    public SourcePosition? Position { get; private set; }

    /// <summary>The message without the position (for <see cref="JinjaErrorKind.Raised"/>: exactly the template's text).</summary>
    public string Detail => base.Message;

    public override string Message => Position is { } p && Kind != JinjaErrorKind.Raised ? $"{p}: {base.Message}" : base.Message;

    /// <summary>Attaches a position if the error does not have one yet (errors thrown deep in value code learn it on the way out).</summary>
    public JinjaException At(SourcePosition position)
    {
        Position ??= position;
        return this;
    }

    public static JinjaException Unsupported(string what, SourcePosition? position = null) =>
        new(JinjaErrorKind.Unsupported, $"{what} is not supported by this Jinja engine.", position);

    public static JinjaException TypeError(string message) => new(JinjaErrorKind.Runtime, message);
}
