using System;

namespace ModelDsl.Chat;

/// <summary>What kind of failure a <see cref="ChatTemplateException"/> reports.</summary>
public enum ChatTemplateErrorKind
{
    /// <summary>The template is not valid Jinja.</summary>
    Syntax,
    /// <summary>The template called <c>raise_exception(message)</c>; the exception's message is exactly that text.</summary>
    Raised,
    /// <summary>The template used an undefined value in a way jinja2 refuses (an attribute or item of it, arithmetic).</summary>
    Undefined,
    /// <summary>An error while evaluating: wrong types, a bad index, division by zero.</summary>
    Runtime,
    /// <summary>Something jinja2's immutable sandbox forbids, such as <c>messages.append(…)</c>.</summary>
    Security,
    /// <summary>A Jinja feature this engine does not implement; refused by name rather than rendered differently.</summary>
    Unsupported,
    /// <summary>Assistant spans could not be derived: rendering a prefix of the conversation is not a prefix of the whole.</summary>
    NotPrefixStable,
    /// <summary>The input (tokenizer config, messages, variables) is not what a chat template can take.</summary>
    InvalidInput,
}

/// <summary>A chat template failed to parse or render; <see cref="Line"/> and <see cref="Column"/> say where in the template.</summary>
public sealed class ChatTemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ChatTemplateException(ChatTemplateErrorKind kind, string message, int? line = null, int? column = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    /// <summary>What kind of failure this is.</summary>
    public ChatTemplateErrorKind Kind { get; }

    /// <summary>The 1-based template line the error applies to, when known.</summary>
    public int? Line { get; }

    /// <summary>The 1-based template column the error applies to, when known.</summary>
    public int? Column { get; }
}
