using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Turns a JSON schema (the subset documented on <see cref="JsonSchemaConstraint"/>) into <see cref="SchemaNode"/>s.
/// Every keyword is either used, ignored as a pure annotation, or refused by name.
/// </summary>
internal sealed class JsonSchemaCompiler
{
    static readonly HashSet<string> Annotations =
        ["description", "title", "$schema", "default", "examples", "$comment", "readOnly", "writeOnly", "deprecated", "$defs", "definitions"];

    static readonly HashSet<string> Supported =
        ["type", "properties", "required", "additionalProperties", "items", "minItems", "maxItems", "enum", "const",
         "anyOf", "oneOf", "format", "minLength", "maxLength", "minimum", "maximum", "$ref"];

    readonly JsonElement _root;
    readonly JsonSchemaOptions _options;
    readonly List<string> _references = [];   // $refs being expanded, outermost first

    JsonSchemaCompiler(JsonElement root, JsonSchemaOptions options)
    {
        _root = root;
        _options = options;
    }

    /// <summary>Compiles <paramref name="schema"/>; throws when it is refused or no value satisfies it.</summary>
    public static SchemaNode Compile(JsonElement schema, JsonSchemaOptions options) =>
        new JsonSchemaCompiler(schema, options).Node(schema, "#")
        ?? throw new ArgumentException("No JSON value satisfies the schema (its constraints contradict each other, or every alternative was dropped).", nameof(schema));

    SchemaNode? Node(JsonElement schema, string path)
    {
        switch (schema.ValueKind)
        {
            case JsonValueKind.False: return null;
            case JsonValueKind.True:
                throw new JsonSchemaNotSupportedException("true", path, "a schema that allows any JSON value cannot be generated; give it a 'type'.");
            case JsonValueKind.Object: break;
            default: throw new ArgumentException($"The schema at {path} is a {schema.ValueKind}; a schema is an object or a boolean.");
        }
        var keywords = new Dictionary<string, JsonElement>();
        foreach (var property in schema.EnumerateObject())
        {
            if (Annotations.Contains(property.Name)) continue;
            if (!Supported.Contains(property.Name))
                throw new JsonSchemaNotSupportedException(property.Name, path,
                    "only type, properties, required, additionalProperties, items, minItems, maxItems, enum, const, anyOf, oneOf, "
                    + "format, minLength, maxLength, minimum, maximum and $ref are understood (plus annotations); remove it or express it with those.");
            keywords[property.Name] = property.Value;
        }

        if (keywords.TryGetValue("$ref", out var reference))
        {
            RefuseSiblings(keywords, "$ref", path, []);
            return Reference(reference, path);
        }
        foreach (var combinator in new[] { "anyOf", "oneOf" })
            if (keywords.TryGetValue(combinator, out var alternatives))
            {
                RefuseSiblings(keywords, combinator, path, []);
                return Alternatives(alternatives, combinator, path);
            }
        if (keywords.ContainsKey("enum") || keywords.ContainsKey("const"))
            return Literals(keywords, path);
        if (!keywords.TryGetValue("type", out var type))
            throw new JsonSchemaNotSupportedException("type", path,
                "a schema without 'type', 'enum', 'const', 'anyOf', 'oneOf' or '$ref' allows any JSON value; give it a 'type'.");

        var nodes = new List<SchemaNode>();
        foreach (var name in TypeNames(type, path))
            if (Typed(name, keywords, path) is { } node) nodes.Add(node);
        return Union(nodes);
    }

    static void RefuseSiblings(Dictionary<string, JsonElement> keywords, string keyword, string path, string[] allowed)
    {
        foreach (var other in keywords.Keys)
            if (other != keyword && !allowed.Contains(other))
                throw new JsonSchemaNotSupportedException(other, path,
                    $"it cannot be combined with '{keyword}' in one schema object; move it into the referenced schema or into each alternative.");
    }

    static IEnumerable<string> TypeNames(JsonElement type, string path)
    {
        string[] names = type.ValueKind switch
        {
            JsonValueKind.String => [type.GetString()!],
            JsonValueKind.Array when type.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String) =>
                type.EnumerateArray().Select(t => t.GetString()!).Distinct().ToArray(),
            _ => throw new ArgumentException($"'type' at {path} must be a type name or an array of type names."),
        };
        if (names.Length == 0) throw new ArgumentException($"'type' at {path} is an empty array; name at least one type.");
        // An integer is a number, so a number alternative already covers it.
        return names.Contains("number") ? names.Where(n => n != "integer") : names;
    }

    SchemaNode? Typed(string type, Dictionary<string, JsonElement> keywords, string path) => type switch
    {
        "null" => new LiteralNode(["null"u8.ToArray()]),
        "boolean" => new LiteralNode(["true"u8.ToArray(), "false"u8.ToArray()]),
        "string" => String(keywords, path),
        "integer" => Integer(keywords, path),
        "number" => Number(keywords, path),
        "object" => Object(keywords, path),
        "array" => Array(keywords, path),
        _ => throw new ArgumentException($"'type' at {path} names '{type}'; the JSON types are string, integer, number, boolean, null, object and array."),
    };

    static SchemaNode? String(Dictionary<string, JsonElement> keywords, string path)
    {
        var min = Count(keywords, "minLength", path) ?? 0;
        var max = Count(keywords, "maxLength", path);
        if (keywords.TryGetValue("format", out var formatValue))
        {
            var format = formatValue.ValueKind == JsonValueKind.String ? formatValue.GetString() : formatValue.GetRawText();
            var parsed = format switch
            {
                "date" => StringFormat.Date,
                "date-time" => StringFormat.DateTime,
                _ => throw new JsonSchemaNotSupportedException("format", path,
                    $"format '{format}' cannot be generated; only 'date' (yyyy-MM-dd) and 'date-time' (yyyy-MM-ddTHH:mm:ss[.fffffff](Z|±HH:mm)) are."),
            };
            foreach (var length in new[] { "minLength", "maxLength" })
                if (keywords.ContainsKey(length))
                    throw new JsonSchemaNotSupportedException(length, path, $"it cannot be combined with format '{format}'; the format fixes the length.");
            return new StringNode(0, null, parsed);
        }
        return max < min ? null : new StringNode(min, max, StringFormat.Any);
    }

    SchemaNode? Integer(Dictionary<string, JsonElement> keywords, string path)
    {
        var min = Bound(keywords, "minimum", path, Math.Ceiling) ?? _options.DefaultIntegerMinimum;
        var max = Bound(keywords, "maximum", path, Math.Floor) ?? _options.DefaultIntegerMaximum;
        return min > max ? null : new IntegerNode(min, max);
    }

    static SchemaNode Number(Dictionary<string, JsonElement> keywords, string path)
    {
        foreach (var bound in new[] { "minimum", "maximum" })
            if (keywords.ContainsKey(bound))
                throw new JsonSchemaNotSupportedException(bound, path, "bounds are supported on integers only; use type 'integer' or drop the bound.");
        return new NumberNode();
    }

    SchemaNode? Object(Dictionary<string, JsonElement> keywords, string path)
    {
        if (keywords.TryGetValue("additionalProperties", out var additional)
            && !(additional.ValueKind is JsonValueKind.True or JsonValueKind.False
                 || additional.ValueKind == JsonValueKind.Object && !additional.EnumerateObject().Any()))
            throw new JsonSchemaNotSupportedException("additionalProperties", path,
                "only false (or true / {}, which generated objects trivially satisfy) is supported; objects with free-form keys (maps) cannot be generated.");
        var required = new HashSet<string>();
        if (keywords.TryGetValue("required", out var requiredValue))
        {
            if (requiredValue.ValueKind != JsonValueKind.Array || requiredValue.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
                throw new ArgumentException($"'required' at {path} must be an array of property names.");
            required.UnionWith(requiredValue.EnumerateArray().Select(r => r.GetString()!));
        }
        var properties = new List<PropertyNode>();
        var declared = new HashSet<string>();
        if (keywords.TryGetValue("properties", out var propertiesValue))
        {
            if (propertiesValue.ValueKind != JsonValueKind.Object)
                throw new ArgumentException($"'properties' at {path} must be an object of schemas.");
            foreach (var property in propertiesValue.EnumerateObject())
            {
                if (!declared.Add(property.Name)) continue;
                var value = Node(property.Value, $"{path}/properties/{Escape(property.Name)}");
                var isRequired = required.Contains(property.Name);
                if (value is null)
                {
                    if (isRequired) return null;
                    continue;
                }
                properties.Add(new PropertyNode(property.Name, value, isRequired));
            }
        }
        foreach (var name in required)
            if (!declared.Contains(name))
                throw new JsonSchemaNotSupportedException("required", path,
                    $"'{name}' is required but has no schema in 'properties'; declare it there so that its value can be generated.");
        return new ObjectNode(properties);
    }

    SchemaNode? Array(Dictionary<string, JsonElement> keywords, string path)
    {
        var min = Count(keywords, "minItems", path) ?? 0;
        var max = Count(keywords, "maxItems", path);
        if (max < min) return null;
        if (!keywords.TryGetValue("items", out var items))
            throw new JsonSchemaNotSupportedException("items", path, "an array needs an 'items' schema; without it any item is allowed, which cannot be generated.");
        if (items.ValueKind == JsonValueKind.Array)
            throw new JsonSchemaNotSupportedException("items", path, "the array form of 'items' (tuple validation) is not supported; give one schema for every item.");
        var item = Node(items, path + "/items");
        if (item is null) return min == 0 ? new LiteralNode(["[]"u8.ToArray()]) : null;
        return new ArrayNode(item, min, max);
    }

    SchemaNode? Literals(Dictionary<string, JsonElement> keywords, string path)
    {
        if (keywords.ContainsKey("enum") && keywords.ContainsKey("const"))
            throw new JsonSchemaNotSupportedException("const", path, "it cannot be combined with 'enum'; keep one of them.");
        var keyword = keywords.ContainsKey("enum") ? "enum" : "const";
        RefuseSiblings(keywords, keyword, path, ["type"]);
        var value = keywords[keyword];
        IEnumerable<JsonElement> members = keyword == "const" ? [value]
            : value.ValueKind == JsonValueKind.Array ? value.EnumerateArray()
            : throw new ArgumentException($"'enum' at {path} must be an array of values.");
        var allowed = keywords.TryGetValue("type", out var type) ? TypeNames(type, path).ToHashSet() : null;
        var values = new List<byte[]>();
        foreach (var member in members)
        {
            if (allowed is not null && !allowed.Any(t => HasType(member, t))) continue;   // can never validate
            var json = JsonLiterals.Of(member);
            if (!values.Any(v => JsonLiterals.SameValue(v, json))) values.Add(json);
        }
        return values.Count == 0 ? null : new LiteralNode(values);
    }

    static bool HasType(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d == Math.Floor(d),
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };

    SchemaNode? Alternatives(JsonElement alternatives, string keyword, string path)
    {
        if (alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
            throw new ArgumentException($"'{keyword}' at {path} must be a non-empty array of schemas.");
        var nodes = new List<(int Index, SchemaNode Node)>();
        var index = 0;
        foreach (var alternative in alternatives.EnumerateArray())
        {
            if (Node(alternative, $"{path}/{keyword}/{index}") is { } node) nodes.Add((index, node));
            index++;
        }
        for (var i = 0; i < nodes.Count; i++)
            for (var j = i + 1; j < nodes.Count; j++)
                CheckDistinct(nodes[i], nodes[j], keyword, path);
        return Union(nodes.Select(n => n.Node).ToList());
    }

    /// <summary>
    /// Alternatives must be told apart by their first byte (different kinds of value), unless both are fixed values
    /// (for oneOf: different ones), or, for anyOf, both are numbers.
    /// </summary>
    static void CheckDistinct((int Index, SchemaNode Node) a, (int Index, SchemaNode Node) b, string keyword, string path)
    {
        var overlap = JsonKindsOf.Node(a.Node) & JsonKindsOf.Node(b.Node);
        if (overlap == JsonKinds.None) return;
        if (a.Node is LiteralNode x && b.Node is LiteralNode y)
        {
            if (keyword == "anyOf" || !x.Values.Any(v => y.Values.Any(w => JsonLiterals.SameValue(v, w)))) return;
            throw new JsonSchemaNotSupportedException(keyword, path, $"alternatives {a.Index} and {b.Index} both allow the same value, so a value would match more than one; use anyOf or remove the duplicate.");
        }
        if (keyword == "anyOf" && overlap == JsonKinds.Number && a.Node is IntegerNode or NumberNode && b.Node is IntegerNode or NumberNode) return;
        throw new JsonSchemaNotSupportedException(keyword, path,
            $"alternatives {a.Index} and {b.Index} can both be a {JsonKindsOf.Describe(overlap)}, so they cannot be told apart from the value's first byte; "
            + "only alternatives of different kinds (string, number, object, array, boolean, null) or lists of fixed values can be combined.");
    }

    SchemaNode? Reference(JsonElement reference, string path)
    {
        var target = reference.ValueKind == JsonValueKind.String ? reference.GetString()! : reference.GetRawText();
        if (target != "#" && !target.StartsWith("#/", StringComparison.Ordinal))
            throw new JsonSchemaNotSupportedException("$ref", path, $"'{target}' is not a reference inside this document; only '#' and '#/...' (such as '#/$defs/Name') are resolved.");
        var depth = _references.Count(r => r == target);
        if (depth > 0)
        {
            if (_options.MaxRecursionDepth is not { } bound)
                throw new JsonSchemaNotSupportedException("$ref", path,
                    $"'{target}' refers to itself (recursion through {string.Join(" -> ", _references.Append(target))}); set JsonSchemaOptions.MaxRecursionDepth to generate it to a bounded depth.");
            if (depth > bound) return null;
        }
        _references.Add(target);
        try
        {
            return Node(Resolve(target, path), target);
        }
        finally
        {
            _references.RemoveAt(_references.Count - 1);
        }
    }

    JsonElement Resolve(string pointer, string path)
    {
        var current = _root;
        foreach (var raw in pointer.Length <= 2 ? [] : pointer[2..].Split('/'))
        {
            var token = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next)) current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, out var i) && i >= 0 && i < current.GetArrayLength()) current = current[i];
            else throw new ArgumentException($"'$ref' at {path} points to '{pointer}', which does not exist in the schema.");
        }
        return current;
    }

    static SchemaNode? Union(List<SchemaNode> nodes) => nodes.Count switch
    {
        0 => null,
        1 => nodes[0],
        _ => new UnionNode(nodes),
    };

    static int? Count(Dictionary<string, JsonElement> keywords, string keyword, string path)
    {
        if (!keywords.TryGetValue(keyword, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d) && d >= 0 && d == Math.Floor(d))
            return d > int.MaxValue ? int.MaxValue : (int)d;
        throw new ArgumentException($"'{keyword}' at {path} must be a non-negative integer, got {value.GetRawText()}.");
    }

    static long? Bound(Dictionary<string, JsonElement> keywords, string keyword, string path, Func<decimal, decimal> round)
    {
        if (!keywords.TryGetValue(keyword, out var value)) return null;
        if (value.ValueKind != JsonValueKind.Number)
            throw new ArgumentException($"'{keyword}' at {path} must be a number, got {value.GetRawText()}.");
        if (!value.TryGetDecimal(out var d)) return value.GetDouble() < 0 ? long.MinValue : long.MaxValue;
        d = round(d);
        return d <= long.MinValue ? long.MinValue : d >= long.MaxValue ? long.MaxValue : (long)d;
    }

    static string Escape(string name) => name.Replace("~", "~0").Replace("/", "~1");
}
