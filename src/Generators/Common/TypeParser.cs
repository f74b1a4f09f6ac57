using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Common;

/// <summary>Where a declared class lives and how its generated half must be written: the facts every parser needs.</summary>
internal static class TypeParser
{
    internal static TypeLocation ParseLocation(INamedTypeSymbol type)
    {
        var containers = new List<string>();
        bool allPartial = IsPartialEverywhere(type);
        bool generic = type.IsGenericType;
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containers.Insert(0, $"partial {TypeKeyword(outer)} {outer.Name}");
            allPartial &= IsPartialEverywhere(outer);
            generic |= outer.IsGenericType;
        }

        bool hasBase = DeclaresBaseClass(type);

        return new TypeLocation(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "",
            containers.ToEquatableArray(),
            type.Name,
            FullName(type),
            allPartial,
            generic,
            hasBase);
    }

    /// <summary>Whether the user declared partial methods or properties in <paramref name="type"/> (which C# allows only in a partial type).</summary>
    internal static bool HasPartialMembers(INamedTypeSymbol type) =>
        type.GetMembers().Any(m => GeneratedTrees.UserDeclarations(m).Any(r => r.GetSyntax() is MemberDeclarationSyntax member
            && member.Modifiers.Any(SyntaxKind.PartialKeyword)));

    internal static bool DeclaresConstructor(INamedTypeSymbol type) =>
        type.InstanceConstructors.Any(c => !c.IsImplicitlyDeclared && GeneratedTrees.UserDeclarations(c).Any());

    // A base-list entry the user wrote that is not one of the type's interfaces is a base class.
    static bool DeclaresBaseClass(INamedTypeSymbol type)
    {
        var interfaces = new HashSet<string>(type.AllInterfaces.Select(i => i.Name));
        return GeneratedTrees.UserDeclarations(type)
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .Where(d => d.BaseList is not null)
            .SelectMany(d => d.BaseList!.Types)
            .Any(t => !interfaces.Contains(SimpleName(t.Type)));
    }

    static string SimpleName(TypeSyntax type) => type switch
    {
        QualifiedNameSyntax qualified => SimpleName(qualified.Right),
        AliasQualifiedNameSyntax alias => SimpleName(alias.Name),
        GenericNameSyntax generic => generic.Identifier.ValueText,
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        _ => type.ToString(),
    };

    static string TypeKeyword(INamedTypeSymbol type) => type switch
    {
        { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
        { IsRecord: true } => "record",
        { TypeKind: TypeKind.Struct } => "struct",
        { TypeKind: TypeKind.Interface } => "interface",
        _ => "class",
    };

    static bool IsPartialEverywhere(INamedTypeSymbol type) =>
        GeneratedTrees.UserDeclarations(type).Any() &&
        GeneratedTrees.UserDeclarations(type).All(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration &&
            declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));

    internal static string FullName(ITypeSymbol type) =>
        type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(
            SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
}
