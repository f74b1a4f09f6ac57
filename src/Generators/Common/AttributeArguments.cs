using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generators.Common;

/// <summary>
/// Typed, forgiving access to an attribute's arguments: a missing argument, a non-constant or a value of
/// the wrong type reads as <see langword="null"/> (or the default), never as an exception.
/// </summary>
internal readonly struct AttributeArguments
{
    readonly AttributeData _attribute;

    public AttributeArguments(AttributeData attribute) => _attribute = attribute;

    public int? Int(int position) => Positional(position)?.Value is int value ? value : null;

    public double? Double(int position) => Positional(position)?.Value switch
    {
        double d => d,
        float f => f,
        int i => i,
        _ => null,
    };

    /// <summary>The member name of an enum argument; the parameter's default when it is not given.</summary>
    public string? EnumName(int position, string defaultName)
    {
        var constructor = _attribute.AttributeConstructor;
        if (constructor is null || position >= constructor.Parameters.Length) return null;
        if (position >= _attribute.ConstructorArguments.Length) return defaultName;
        var argument = _attribute.ConstructorArguments[position];
        if (argument.Kind != TypedConstantKind.Enum || argument.Type is not INamedTypeSymbol enumType) return null;
        return enumType.GetMembers().OfType<IFieldSymbol>()
            .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, argument.Value))?.Name;
    }

    /// <summary>The member name of a named enum argument, or <see langword="null"/> when it is absent or not a constant.</summary>
    public string? NamedEnum(string name)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key != name || pair.Value.Kind != TypedConstantKind.Enum || pair.Value.Type is not INamedTypeSymbol enumType) continue;
            return enumType.GetMembers().OfType<IFieldSymbol>()
                .FirstOrDefault(f => f.HasConstantValue && Equals(f.ConstantValue, pair.Value.Value))?.Name;
        }
        return null;
    }

    public T Named<T>(string name, T defaultValue)
    {
        foreach (var pair in _attribute.NamedArguments)
            if (pair.Key == name && pair.Value.Kind != TypedConstantKind.Error && pair.Value.Value is T value)
                return value;
        return defaultValue;
    }

    public T? Named<T>(string name) where T : class => Named<T?>(name, null);

    public string[]? NamedStrings(string name)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key != name) continue;
            if (pair.Value.Kind != TypedConstantKind.Array || pair.Value.IsNull) return null;
            var values = pair.Value.Values.Select(v => v.Value as string).ToArray();
            return values.Any(v => v is null) ? null : values.Select(v => v!).ToArray();
        }
        return null;
    }

    public int[]? NamedInts(string name)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key != name) continue;
            if (pair.Value.Kind != TypedConstantKind.Array || pair.Value.IsNull) return null;
            var values = pair.Value.Values.Select(v => v.Value as int?).ToArray();
            return values.Any(v => v is null) ? null : values.Select(v => v!.Value).ToArray();
        }
        return null;
    }

    public bool HasNamed(string name) => _attribute.NamedArguments.Any(pair => pair.Key == name);

    TypedConstant? Positional(int position)
    {
        if (_attribute.AttributeConstructor is null || position >= _attribute.ConstructorArguments.Length) return null;
        var argument = _attribute.ConstructorArguments[position];
        return argument.Kind == TypedConstantKind.Error ? null : argument;
    }
}
