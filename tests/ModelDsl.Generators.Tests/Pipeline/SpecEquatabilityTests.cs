using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace ModelDsl.Generators.Tests.Pipeline;

/// <summary>
/// What flows through the incremental pipeline is value-equatable data: records of strings, numbers, enums and
/// EquatableArrays. An ISymbol, SyntaxNode, Location or Compilation anywhere inside would make every step re-run on
/// every edit (and keep compilations alive); so would arrays or lists, which compare by reference.
/// </summary>
public sealed class SpecEquatabilityTests
{
    static readonly Assembly Generator = typeof(ModelGenerator).Assembly;

    [Fact]
    public void No_Roslyn_object_or_reference_compared_collection_is_reachable_from_a_pipeline_spec()
    {
        var roots = Generator.GetTypes()
            .Where(t => t.Namespace == "ModelDsl.Generators.Specs" && !t.IsGenericTypeDefinition && !t.IsNested && (t.IsClass || t.IsValueType))
            .Concat([Generator.GetType("ModelDsl.Generators.Common.GeneratorFailure")!, Generator.GetType("ModelDsl.Generators.Diagnostics.ReportList")!])
            .ToList();
        Assert.Contains(roots, t => t.Name == "ClassSpec");
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        foreach (var root in roots) Walk(root, root.Name, seen, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    static void Walk(Type type, string path, HashSet<Type> seen, List<string> problems)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) type = inner;
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)) return;
        if (!seen.Add(type)) return;
        if (type.IsGenericType && type.GetGenericTypeDefinition().Name == "EquatableArray`1")
        {
            Walk(type.GetGenericArguments()[0], path + "[]", seen, problems);
            return;
        }
        if (type.Assembly != Generator || type.IsArray || type.IsInterface)
        {
            problems.Add($"{path}: {type.FullName} is not value-equatable pipeline data");
            return;
        }
        // Records: every positional or init property, and the subtypes of an abstract record (e.g. every LayerSpec).
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract" && p.GetIndexParameters().Length == 0))
            if (property.GetMethod?.IsAbstract != true && IsStored(type, property))
                Walk(property.PropertyType, path + "." + property.Name, seen, problems);
        if (type.IsAbstract)
            foreach (var subtype in Generator.GetTypes().Where(t => t.BaseType == type))
                Walk(subtype, path + "<" + subtype.Name + ">", seen, problems);
    }

    // Computed properties (expression bodies) hold nothing; stored ones have a compiler-generated backing field.
    static bool IsStored(Type type, PropertyInfo property) =>
        property.DeclaringType!.GetField($"<{property.Name}>k__BackingField", BindingFlags.NonPublic | BindingFlags.Instance) is not null;
}
