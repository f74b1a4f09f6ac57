using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace ModelDsl.Generators.Tests.Pipeline;

/// <summary>
/// What flows through the incremental pipeline is value-equatable data: records of strings, numbers, enums and
/// EquatableArrays. An ISymbol, SyntaxNode, Location or Compilation anywhere inside would make every step re-run on
/// every edit (and keep compilations alive); so would arrays or lists, which compare by reference. A record compares
/// every instance field, private ones included, so the walk goes through fields, not only public properties.
/// </summary>
public sealed class SpecEquatabilityTests
{
    static readonly Assembly Generator = typeof(ModelGenerator).Assembly;

    const BindingFlags InstanceFields = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly;

    [Fact]
    public void No_Roslyn_object_or_reference_compared_collection_is_reachable_from_a_pipeline_spec()
    {
        // The spec types, and every record of the generator's own namespaces wherever it lives (ConfigFile,
        // FromConfigResolution, GeneratedFile, Guarded…): the values steps hand each other are records. The rules shared
        // with the runtime (ModelDsl.Families, ModelDsl.Shared) are computed inside steps; what of them a spec stores
        // is reached through its fields.
        var roots = Generator.GetTypes()
            .Where(t => t.Namespace == "ModelDsl.Generators.Specs" && !t.IsGenericTypeDefinition && !t.IsNested && (t.IsClass || t.IsValueType))
            .Concat(Generator.GetTypes().Where(t => IsRecord(t) && t.Namespace?.StartsWith("ModelDsl.Generators") == true).Select(CloseOverString))
            .Distinct()
            .ToList();
        Assert.Contains(roots, t => t.Name == "ClassSpec");
        Assert.Contains(roots, t => t.Name == "ConfigFile");
        Assert.Contains(roots, t => t.Name == "Guarded`1");
        Assert.Contains(roots, t => t.Name == "FromConfigResolution");
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var root in roots) Walk(root, root.Name, seen, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_walk_sees_private_fields()
    {
        var problems = new List<string>();
        Walk(typeof(HidesAList), nameof(HidesAList), [], problems, allowForeign: true);
        Assert.Equal([$"{nameof(HidesAList)}.cache: {typeof(List<string>).FullName} is not value-equatable pipeline data"], problems);
    }

    // A record whose equality would compare a list by reference, through a field no public property shows.
    sealed record HidesAList(string Name)
    {
        readonly List<string> cache = [];
        public int Count => cache.Count;
    }

    static bool IsRecord(Type type) =>
        !type.Name.StartsWith("<") && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance, null, [typeof(System.Text.StringBuilder)], null) is not null;

    // A generic record (Guarded<T>) is walked over string, which is fine, so that its other fields are checked.
    static Type CloseOverString(Type type) => type.IsGenericTypeDefinition ? type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(string)).ToArray()) : type;

    static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems, bool allowForeign = false)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) type = inner;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)) return;
        if (!seen.Add(type)) return;
        if (type.IsGenericType && type.GetGenericTypeDefinition().Name == "EquatableArray`1")
        {
            Walk(type.GetGenericArguments()[0], path + "[]", seen, problems, allowForeign);
            return;
        }
        if ((type.Assembly != Generator && !allowForeign) || type.IsArray || type.IsInterface || type == typeof(object) || type.Namespace?.StartsWith("System.Collections") == true
            || type.Namespace?.StartsWith("Microsoft.CodeAnalysis") == true)
        {
            problems.Add($"{path}: {type.FullName} is not value-equatable pipeline data");
            return;
        }
        // Every instance field, public or not, of the type and its bases (records compare them all), and the subtypes
        // of an abstract record (e.g. every LayerSpec).
        for (var declaring = type; declaring is not null && declaring != typeof(object) && declaring != typeof(ValueType); declaring = declaring.BaseType)
            foreach (var field in declaring.GetFields(InstanceFields))
                Walk(field.FieldType, path + "." + MemberName(field), seen, problems, allowForeign);
        if (type.IsAbstract)
            foreach (var subtype in Generator.GetTypes().Where(t => t.BaseType == type))
                Walk(subtype, path + "<" + subtype.Name + ">", seen, problems, allowForeign);
    }

    // An auto-property's backing field "<Name>k__BackingField" is shown as the property it stores.
    static string MemberName(FieldInfo field) =>
        field.Name.StartsWith("<") && field.Name.IndexOf('>') is > 1 and var end ? field.Name.Substring(1, end - 1) : field.Name;
}
