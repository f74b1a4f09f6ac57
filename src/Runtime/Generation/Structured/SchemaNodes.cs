using System.Collections.Generic;

namespace ModelDsl.Generation.Structured;

// The schema after compilation: only what the grammar needs, every keyword already checked. A schema that no value
// can satisfy is represented by null where a node is expected.

/// <summary>A compiled schema: the set of compact JSON texts it allows.</summary>
internal abstract record SchemaNode;

/// <summary>One of a fixed set of JSON texts (enum, const, true, false, null), each already compact UTF-8.</summary>
internal sealed record LiteralNode(IReadOnlyList<byte[]> Values) : SchemaNode;

/// <summary>What a string's contents must look like.</summary>
internal enum StringFormat { Any, Date, DateTime }

/// <summary>A string of <paramref name="MinLength"/> to <paramref name="MaxLength"/> code points (null: unbounded), or of a format.</summary>
internal sealed record StringNode(int MinLength, int? MaxLength, StringFormat Format) : SchemaNode;

/// <summary>An integer in [<paramref name="Minimum"/>, <paramref name="Maximum"/>], written without sign for 0 and without leading zeros.</summary>
internal sealed record IntegerNode(long Minimum, long Maximum) : SchemaNode;

/// <summary>A number written in plain decimal notation (see <see cref="JsonGrammar"/> for the digit limits).</summary>
internal sealed record NumberNode : SchemaNode;

/// <summary>An array of <paramref name="MinItems"/> to <paramref name="MaxItems"/> (null: unbounded) items.</summary>
internal sealed record ArrayNode(SchemaNode Items, int MinItems, int? MaxItems) : SchemaNode;

/// <summary>An object whose properties appear in this order; optional ones may be left out.</summary>
internal sealed record ObjectNode(IReadOnlyList<PropertyNode> Properties) : SchemaNode;

/// <summary>One property of an <see cref="ObjectNode"/>.</summary>
internal sealed record PropertyNode(string Name, SchemaNode Value, bool Required);

/// <summary>Any one of several alternatives.</summary>
internal sealed record UnionNode(IReadOnlyList<SchemaNode> Alternatives) : SchemaNode;
