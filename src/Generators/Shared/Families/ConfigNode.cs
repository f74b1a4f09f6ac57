using System.Collections.Generic;

namespace ModelDsl.Families;

/// <summary>The JSON type of a <see cref="ConfigNode"/>.</summary>
internal enum ConfigNodeKind
{
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

/// <summary>
/// A read-only view of one JSON value of a <c>config.json</c>: what <see cref="FamilyConfigReader"/> needs and nothing
/// more. The runtime wraps System.Text.Json's parsed document; the generator (which cannot use System.Text.Json) wraps
/// its own bounded parser. Nothing here throws.
/// </summary>
internal abstract class ConfigNode
{
    /// <summary>The JSON type.</summary>
    public abstract ConfigNodeKind Kind { get; }

    /// <summary>The value as written in the file (shortened), for messages.</summary>
    public abstract string Text { get; }

    /// <summary>The value of a <see cref="ConfigNodeKind.Bool"/>.</summary>
    public abstract bool Bool { get; }

    /// <summary>The string of a <see cref="ConfigNodeKind.String"/>, else <see langword="null"/>.</summary>
    public abstract string? String { get; }

    /// <summary>The value of a number written as an integer literal that fits in a long.</summary>
    public abstract bool TryGetInteger(out long value);

    /// <summary>The value of a number that fits in a double.</summary>
    public abstract bool TryGetDouble(out double value);

    /// <summary>The elements of a <see cref="ConfigNodeKind.Array"/> (empty for other kinds).</summary>
    public abstract IReadOnlyList<ConfigNode> Items { get; }

    /// <summary>The property <paramref name="name"/> of an <see cref="ConfigNodeKind.Object"/>, or <see langword="null"/> when absent.</summary>
    public abstract ConfigNode? Property(string name);
}
