using System;

namespace ModelDsl.Generation.Structured;

/// <summary>How <see cref="JsonSchemaConstraint"/> compiles a schema.</summary>
public sealed record JsonSchemaOptions
{
    /// <summary>
    /// How many times a recursive <c>$ref</c> may be entered again inside itself; null (the default) refuses recursive
    /// schemas. At the bound, alternatives that would recurse further are dropped (a nullable child becomes null, a
    /// list of children becomes empty); a schema that cannot stop recursing is refused.
    /// </summary>
    public int? MaxRecursionDepth { get; init; }

    /// <summary>
    /// Smallest value generated for an <c>integer</c> without <c>minimum</c>. The default, <see cref="int.MinValue"/>,
    /// keeps every generated integer inside a C# <c>int</c>.
    /// </summary>
    public long DefaultIntegerMinimum { get; init; } = int.MinValue;

    /// <summary>Largest value generated for an <c>integer</c> without <c>maximum</c> (default <see cref="int.MaxValue"/>).</summary>
    public long DefaultIntegerMaximum { get; init; } = int.MaxValue;

    /// <summary>Most automaton states a schema may compile to; a larger schema is refused (lower its maxItems or maxLength).</summary>
    public int MaxStates { get; init; } = 200_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming the option that is out of range.</summary>
    public void Validate()
    {
        if (MaxRecursionDepth is < 0)
            throw new ArgumentException($"MaxRecursionDepth must be null (refuse recursion) or at least 0, got {MaxRecursionDepth}.", nameof(MaxRecursionDepth));
        if (DefaultIntegerMinimum > DefaultIntegerMaximum)
            throw new ArgumentException($"DefaultIntegerMinimum ({DefaultIntegerMinimum}) is above DefaultIntegerMaximum ({DefaultIntegerMaximum}).", nameof(DefaultIntegerMinimum));
        if (MaxStates < 16)
            throw new ArgumentException($"MaxStates must be at least 16, got {MaxStates}.", nameof(MaxStates));
    }
}
