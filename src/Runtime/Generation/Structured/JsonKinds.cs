using System;
using System.Linq;

namespace ModelDsl.Generation.Structured;

/// <summary>The kinds of JSON value, as told apart by a value's first byte.</summary>
[Flags]
internal enum JsonKinds
{
    None = 0,
    Object = 1,
    Array = 2,
    String = 4,
    Number = 8,
    True = 16,
    False = 32,
    Null = 64,
}

/// <summary>Which kinds of value a compiled schema node can produce.</summary>
internal static class JsonKindsOf
{
    public static JsonKinds Node(SchemaNode node) => node switch
    {
        LiteralNode literal => literal.Values.Aggregate(JsonKinds.None, (kinds, value) => kinds | Literal(value)),
        StringNode => JsonKinds.String,
        IntegerNode or NumberNode => JsonKinds.Number,
        ArrayNode => JsonKinds.Array,
        ObjectNode => JsonKinds.Object,
        UnionNode union => union.Alternatives.Aggregate(JsonKinds.None, (kinds, alternative) => kinds | Node(alternative)),
        _ => throw new ArgumentOutOfRangeException(nameof(node), node, "Unknown schema node."),
    };

    /// <summary>The kind of one compact JSON text.</summary>
    public static JsonKinds Literal(byte[] json) => json[0] switch
    {
        (byte)'{' => JsonKinds.Object,
        (byte)'[' => JsonKinds.Array,
        (byte)'"' => JsonKinds.String,
        (byte)'t' => JsonKinds.True,
        (byte)'f' => JsonKinds.False,
        (byte)'n' => JsonKinds.Null,
        _ => JsonKinds.Number,
    };

    /// <summary>A readable list such as "string or null".</summary>
    public static string Describe(JsonKinds kinds) =>
        string.Join(" or ", Enum.GetValues<JsonKinds>().Where(k => k != JsonKinds.None && kinds.HasFlag(k)).Select(k => k.ToString().ToLowerInvariant()));
}
