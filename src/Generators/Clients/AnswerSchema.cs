using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generators.Clients;

/// <summary>
/// The JSON schema of a record or class answer, derived at compile time as System.Text.Json reads the type: public
/// properties with a setter, an init accessor or a constructor parameter, in declaration order (base types first),
/// named as declared or as <c>[JsonPropertyName]</c> says, <c>[JsonIgnore]</c> skipped, <c>[Description]</c> carried
/// into <c>description</c>; every property required (nullable ones may be null) and no others allowed. Enums are
/// strings of their member names, as <c>JsonStringEnumConverter</c> writes them: a member's
/// <c>[JsonStringEnumMemberName]</c> renames it, a <c>[Description]</c> does not (that labels direct enum answers only).
/// Never throws: a type it cannot represent gives the reason instead.
/// </summary>
internal static class AnswerSchema
{
    const string DescriptionAttribute = "System.ComponentModel.DescriptionAttribute";
    const string JsonPropertyNameAttribute = "System.Text.Json.Serialization.JsonPropertyNameAttribute";
    const string JsonIgnoreAttribute = "System.Text.Json.Serialization.JsonIgnoreAttribute";
    const string JsonStringEnumMemberNameAttribute = "System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute";

    /// <summary>
    /// Whether a prompt method answering <paramref name="type"/> is decoded as JSON: a record or class, a number, a
    /// date, a list or array, or a nullable one of those (string, bool and enums have answers of their own).
    /// </summary>
    public static bool IsJsonAnswer(ITypeSymbol type) =>
        type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapped
            ? IsJsonAnswer(wrapped.TypeArguments[0]) || wrapped.TypeArguments[0].TypeKind == TypeKind.Enum
            : IsRecordLike(type) || Scalar(type) is not null || ElementOf(type) is not null;

    /// <summary>True when <paramref name="type"/> is a record-like class or struct (not a known scalar or collection).</summary>
    public static bool IsRecordLike(ITypeSymbol type) =>
        type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named
        && named.SpecialType == SpecialType.None
        && Scalar(named) is null
        && ElementOf(named) is null
        && named.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T;

    /// <summary>
    /// The schema text and the smallest JSON text valid under it (every nullable member null, other strings empty,
    /// numbers 0, booleans false, each enum its first member, arrays empty, dates the first day of year 1), or null and
    /// the reason the type cannot be represented.
    /// </summary>
    public static (string? Schema, string Smallest, string Reason) Build(ITypeSymbol type)
    {
        var writer = new StringBuilder();
        var smallest = new StringBuilder();
        var reason = Write(type, writer, smallest, new List<ITypeSymbol>(), description: null, nullable: false);
        return reason is null ? (writer.ToString(), smallest.ToString(), "") : (null, "", reason);
    }

    // Writes the schema of type to json and its smallest value to smallest; returns why it cannot, or null.
    static string? Write(ITypeSymbol type, StringBuilder json, StringBuilder smallest, List<ITypeSymbol> path, string? description, bool nullable)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } wrapped)
            return Write(wrapped.TypeArguments[0], json, smallest, path, description, nullable: true);
        nullable |= type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.Annotated;
        var describe = description is null ? "" : $",\"description\":{Quote(description)}";

        if (Scalar(type) is { } scalar)
        {
            var typeName = nullable ? $"[\"{scalar.Type}\",\"null\"]" : $"\"{scalar.Type}\"";
            json.Append($"{{\"type\":{typeName}{scalar.Extra}{describe}}}");
            smallest.Append(nullable ? "null" : scalar.Smallest);
            return null;
        }
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
        {
            var names = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
                .Select(f => Quote(Attribute(f, JsonStringEnumMemberNameAttribute) ?? f.Name)).ToList();
            if (names.Count == 0) return $"enum '{enumType.Name}' has no members";
            smallest.Append(nullable ? "null" : names[0]);
            if (nullable) names.Add("null");
            json.Append($"{{\"enum\":[{string.Join(",", names)}]{describe}}}");
            return null;
        }
        if (ElementOf(type) is { } element)
        {
            var items = new StringBuilder();
            if (Write(element, items, new StringBuilder(), path, null, false) is { } inner) return inner;
            smallest.Append(nullable ? "null" : "[]");
            var array = $"{{\"type\":\"array\",\"items\":{items}{describe}}}";
            json.Append(nullable ? $"{{\"anyOf\":[{array},{{\"type\":\"null\"}}]}}" : array);
            return null;
        }
        if (type.AllInterfaces.Any(i => i.ToDisplayString() == "System.Collections.IEnumerable"))
            return $"'{type.ToDisplayString()}' is a collection other than a list or array (dictionaries and sets cannot be answered)";
        if (!IsRecordLike(type))
            return $"'{type.ToDisplayString()}' cannot be represented as JSON (use string, bool, a number, an enum, DateOnly, a list or array, or a record or class of those)";
        if (path.Any(t => SymbolEqualityComparer.Default.Equals(t, type)))
            return $"'{type.Name}' contains itself; a recursive answer type has no bound on its depth";
        path.Add(type);
        var properties = new StringBuilder();
        var fields = new StringBuilder();
        var names2 = new List<string>();
        foreach (var property in PropertiesOf((INamedTypeSymbol)type))
        {
            var name = Attribute(property, JsonPropertyNameAttribute) ?? property.Name;
            if (names2.Count > 0)
            {
                properties.Append(',');
                fields.Append(',');
            }
            properties.Append(Quote(name)).Append(':');
            fields.Append(Quote(name)).Append(':');
            if (Write(property.Type, properties, fields, path, Attribute(property, DescriptionAttribute) ?? ParameterDescription(property), false) is { } inner)
                return $"property '{property.Name}' of '{type.Name}': {inner}";
            names2.Add(Quote(name));
        }
        path.RemoveAt(path.Count - 1);
        if (names2.Count == 0) return $"'{type.Name}' has no public settable properties to fill";
        var typeDescription = Attribute(type, DescriptionAttribute) is { } own && description is null ? $",\"description\":{Quote(own)}" : describe;
        var obj = $"{{\"type\":\"object\",\"properties\":{{{properties}}},\"required\":[{string.Join(",", names2)}],\"additionalProperties\":false{typeDescription}}}";
        json.Append(nullable ? $"{{\"anyOf\":[{obj},{{\"type\":\"null\"}}]}}" : obj);
        smallest.Append(nullable ? "null" : $"{{{fields}}}");
        return null;
    }

    // Declaration order, base types first; what System.Text.Json can set.
    static IEnumerable<IPropertySymbol> PropertiesOf(INamedTypeSymbol type)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = type; t is not null && t.SpecialType != SpecialType.System_Object && t.SpecialType != SpecialType.System_ValueType; t = t.BaseType) chain.Insert(0, t);
        var parameters = type.InstanceConstructors.SelectMany(c => c.Parameters).Select(p => p.Name).ToList();
        foreach (var t in chain)
            foreach (var property in t.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.IsStatic || property.IsIndexer || property.DeclaredAccessibility != Accessibility.Public || property.GetMethod is null) continue;
                if (property.Name == "EqualityContract") continue;
                if (property.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == JsonIgnoreAttribute)) continue;
                var settable = property.SetMethod is { DeclaredAccessibility: Accessibility.Public }
                               || parameters.Any(p => string.Equals(p, property.Name, System.StringComparison.OrdinalIgnoreCase));
                if (settable) yield return property;
            }
    }

    // A positional record's [Description] sits on its parameter (or on the property through property: targets).
    static string? ParameterDescription(IPropertySymbol property) =>
        property.ContainingType.InstanceConstructors.SelectMany(c => c.Parameters)
            .Where(p => p.Name == property.Name)
            .Select(p => Attribute(p, DescriptionAttribute))
            .FirstOrDefault(d => d is not null);

    static string? Attribute(ISymbol symbol, string name) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == name && a.ConstructorArguments.Length == 1)?.ConstructorArguments[0].Value as string;

    const string SmallestDate = "\"0001-01-01\"";
    const string SmallestDateTime = "\"0001-01-01T00:00:00Z\"";

    // The schema type, its extra keywords, and its smallest valid value.
    static (string Type, string Extra, string Smallest)? Scalar(ITypeSymbol type)
    {
        switch (type.SpecialType)
        {
            case SpecialType.System_String: return ("string", "", "\"\"");
            case SpecialType.System_Boolean: return ("boolean", "", "false");
            case SpecialType.System_Byte: return ("integer", ",\"minimum\":0,\"maximum\":255", "0");
            case SpecialType.System_Int16: return ("integer", ",\"minimum\":-32768,\"maximum\":32767", "0");
            case SpecialType.System_Int32: return ("integer", "", "0");
            case SpecialType.System_Int64: return ("integer", string.Format(CultureInfo.InvariantCulture, ",\"minimum\":{0},\"maximum\":{1}", long.MinValue, long.MaxValue), "0");
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_Decimal: return ("number", "", "0");
            case SpecialType.System_DateTime: return ("string", ",\"format\":\"date-time\"", SmallestDateTime);
        }
        return type.ToDisplayString() switch
        {
            "System.DateOnly" => ("string", ",\"format\":\"date\"", SmallestDate),
            "System.DateTimeOffset" => ("string", ",\"format\":\"date-time\"", SmallestDateTime),
            _ => null,
        };
    }

    // T[], List<T>, IList<T>, IReadOnlyList<T>, IEnumerable<T>, ICollection<T>, IReadOnlyCollection<T>.
    static ITypeSymbol? ElementOf(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array) return array.ElementType;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && generic.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.List<T>" or "System.Collections.Generic.IList<T>"
                or "System.Collections.Generic.IReadOnlyList<T>" or "System.Collections.Generic.IEnumerable<T>"
                or "System.Collections.Generic.ICollection<T>" or "System.Collections.Generic.IReadOnlyCollection<T>")
            return generic.TypeArguments[0];
        return null;
    }

    static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in text)
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        return quoted.Append('"').ToString();
    }
}
