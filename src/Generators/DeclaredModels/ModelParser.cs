using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>
/// Turns a class carrying [Model] or [Module] into a ClassSpec: strings and numbers only. Everything the
/// compiler could not bind yet (half-typed code) becomes an IncompleteLayerSpec or is skipped; nothing throws.
/// </summary>
internal static class ModelParser
{
    internal static ClassSpec? ParseClass(GeneratorAttributeSyntaxContext context, ClassRole role, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type) return null;
        return ParseClass(type, role, cancellationToken);
    }

    internal static ClassSpec ParseClass(INamedTypeSymbol type, ClassRole role, CancellationToken cancellationToken)
    {
        var members = new List<MemberSpec>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsImplicitlyDeclared || member.IsStatic) continue;
            var layer = member.GetAttributes().Select(a => ParseLayer(a, member)).FirstOrDefault(l => l is not null);
            if (layer is null) continue;
            switch (member)
            {
                case IPropertySymbol property:
                    members.Add(new MemberSpec(property.Name, true, Modifiers(property, cancellationToken),
                        TypeParser.FullName(property.Type), IsImplementable(property, cancellationToken), layer, IsAccessible(property)));
                    break;
                case IFieldSymbol field:
                    members.Add(new MemberSpec(field.Name, false, Modifiers(field, cancellationToken),
                        TypeParser.FullName(field.Type), true, layer, IsAccessible(field)));
                    break;
            }
        }

        return new ClassSpec(
            TypeParser.ParseLocation(type),
            role,
            ParseForward(type),
            TypeParser.DeclaresConstructor(type),
            members.ToEquatableArray());
    }

    static bool IsAccessible(ISymbol member) =>
        member.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal or Accessibility.ProtectedOrInternal;

    static ForwardSignature? ParseForward(INamedTypeSymbol type)
    {
        var candidates = type.GetMembers("Forward").OfType<IMethodSymbol>()
            .Where(m => !m.IsStatic && m.MethodKind == MethodKind.Ordinary && !m.IsGenericMethod)
            .ToList();
        if (candidates.Count != 1) return null;
        var forward = candidates[0];
        if (forward.ReturnsVoid || forward.Parameters.Length is < 1 or > 3) return null;
        if (forward.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.TypeKind == TypeKind.Error)) return null;
        if (forward.ReturnType.TypeKind == TypeKind.Error) return null;
        return new ForwardSignature(
            forward.Parameters.Select(p => TypeParser.FullName(p.Type)).ToEquatableArray(),
            forward.Parameters.Select(p => p.Name).ToEquatableArray(),
            TypeParser.FullName(forward.ReturnType));
    }

    static string Modifiers(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in GeneratedTrees.UserDeclarations(member))
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var modifiers = syntax switch
            {
                PropertyDeclarationSyntax property => property.Modifiers,
                VariableDeclaratorSyntax { Parent.Parent: FieldDeclarationSyntax field } => field.Modifiers,
                _ => default,
            };
            return string.Join(" ", modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
        }
        return "";
    }

    // A property the generator can implement: declared partial, with a single auto-style `get;` and no body anywhere.
    static bool IsImplementable(IPropertySymbol property, CancellationToken cancellationToken)
    {
        var declarations = GeneratedTrees.UserDeclarations(property).ToList();
        if (declarations.Count != 1) return false;
        if (declarations[0].GetSyntax(cancellationToken) is not PropertyDeclarationSyntax syntax) return false;
        if (!syntax.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword))) return false;
        if (syntax.ExpressionBody is not null || syntax.Initializer is not null || syntax.AccessorList is null) return false;
        var accessors = syntax.AccessorList.Accessors;
        return accessors.Count == 1 && accessors[0].IsKind(SyntaxKind.GetAccessorDeclaration)
            && accessors[0].Body is null && accessors[0].ExpressionBody is null;
    }

    static LayerSpec? ParseLayer(AttributeData attribute, ISymbol member)
    {
        var attributeClass = attribute.AttributeClass;
        if (attributeClass is null || attributeClass.TypeKind == TypeKind.Error) return null;
        if (attributeClass.ContainingNamespace?.ToDisplayString() != KnownNames.DslNamespace) return null;

        var arguments = new AttributeArguments(attribute);
        var name = arguments.Named<string>("Name");
        LayerSpec? parsed = attributeClass.Name switch
        {
            "LinearAttribute" => arguments.Int(0) is int inF && arguments.Int(1) is int outF
                ? new LinearSpec(inF, outF, arguments.Named("Bias", true), arguments.Named<string>("TiedTo"), name) : null,
            "EmbeddingAttribute" => arguments.Int(0) is int count && arguments.Int(1) is int dim
                ? new EmbeddingSpec(count, dim, name) : null,
            "LayerNormAttribute" => arguments.Int(0) is int lnDim ? new LayerNormSpec(lnDim, arguments.Named("Eps", DslDefaults.LayerNormEps), name) : null,
            "RmsNormAttribute" => arguments.Int(0) is int rmsDim ? new RmsNormSpec(rmsDim, arguments.Named("Eps", DslDefaults.RmsNormEps), name) : null,
            "DropoutAttribute" => arguments.Double(0) is double p ? new DropoutSpec(p, name) : null,
            "CausalSelfAttentionAttribute" => arguments.Int(0) is int aDim && arguments.Int(1) is int heads
                ? new AttentionSpec(aDim, heads, arguments.Named("KvHeads", heads), arguments.Named("Bias", true), name) : null,
            "MlpAttribute" => arguments.Int(0) is int mDim && arguments.Int(1) is int hidden && arguments.EnumName(2, "GeluTanh") is string activation
                ? new MlpSpec(mDim, hidden, activation, name) : null,
            "RepeatAttribute" => arguments.Int(0) is int repeat ? new RepeatSpec(repeat, RepeatedBlockType(member), name) : null,
            _ => null,
        };
        if (parsed is not null) return parsed;
        bool isLayerAttribute = attributeClass.BaseType?.Name == "LayerAttribute";
        return isLayerAttribute ? new IncompleteLayerSpec(attributeClass.Name, name) : null;
    }

    static string RepeatedBlockType(ISymbol member)
    {
        var type = member switch
        {
            IPropertySymbol property => property.Type,
            IFieldSymbol field => field.Type,
            _ => null,
        };
        return type is INamedTypeSymbol { TypeArguments.Length: 1 } generic && generic.TypeArguments[0].TypeKind != TypeKind.Error
            ? TypeParser.FullName(generic.TypeArguments[0])
            : "";
    }
}
