using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>Finds the source span a finding is about: an attribute argument, an attribute, a member or the class name.</summary>
internal static class FindingLocator
{
    public static Location Locate(INamedTypeSymbol type, Finding finding, AttributeData rootAttribute, CancellationToken cancellationToken)
    {
        var classLocation = type.Locations.FirstOrDefault(l => l.IsInSource) ?? Location.None;
        if (finding.Member is { } memberName)
        {
            var member = type.GetMembers(memberName).FirstOrDefault(m => m is IPropertySymbol or IFieldSymbol or IMethodSymbol);
            if (member is null) return classLocation;
            if (member is IMethodSymbol method) return LocateInMethod(method, finding, cancellationToken) ?? classLocation;
            var layer = member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.BaseType?.Name == "LayerAttribute");
            if (layer is null || finding.Id is DiagnosticIds.WrongMemberType or DiagnosticIds.PropertyNotImplementable)
                return member.Locations.FirstOrDefault(l => l.IsInSource) ?? classLocation;
            return ArgumentOrAttribute(layer, finding.Argument, cancellationToken) ?? classLocation;
        }

        var attribute = finding.Attribute is { } name ? FindAttribute(type, name, finding.Id) : null;
        if (attribute is null && finding.Argument is not null) attribute = rootAttribute;
        if (attribute is not null && ArgumentOrAttribute(attribute, finding.Argument, cancellationToken) is { } location)
            return finding.Element is { } element ? ElementIn(location, element, cancellationToken) ?? location : location;
        return classLocation;
    }

    // A client method: the [Prompt] (or [Example]) attribute's argument, else the method's name.
    static Location? LocateInMethod(IMethodSymbol method, Finding finding, CancellationToken cancellationToken)
    {
        var name = finding.Attribute ?? "Prompt";
        var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.Name == name + "Attribute");
        bool aboutDeclaration = finding.Argument is null && finding.Attribute is null;
        if (attribute is null || aboutDeclaration)
            return GeneratedTrees.UserDeclarations(method).Select(r => r.GetSyntax(cancellationToken))
                .OfType<MethodDeclarationSyntax>().Select(m => m.Identifier.GetLocation()).FirstOrDefault();
        return ArgumentOrAttribute(attribute, finding.Argument, cancellationToken);
    }

    // The string literal equal to element inside an argument, e.g. "c_atn" in Targets = ["c_attn", "c_atn"].
    static Location? ElementIn(Location argument, string element, CancellationToken cancellationToken) =>
        argument.SourceTree?.GetRoot(cancellationToken).FindNode(argument.SourceSpan)
            .DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>()
            .FirstOrDefault(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Token.ValueText == element)?.GetLocation();

    static AttributeData? FindAttribute(INamedTypeSymbol type, string shortName, string id)
    {
        var matches = type.GetAttributes().Where(a => a.AttributeClass?.Name == shortName + "Attribute").ToList();
        // The second of two soft prompts is the one to remove.
        return id == DiagnosticIds.TwoSoftPrompts && matches.Count > 1 ? matches[1] : matches.FirstOrDefault();
    }

    static Location? ArgumentOrAttribute(AttributeData attribute, string? argument, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax syntax) return null;
        if (argument is null || syntax.ArgumentList is null) return syntax.GetLocation();

        var arguments = syntax.ArgumentList.Arguments;
        var named = arguments.FirstOrDefault(a =>
            a.NameEquals?.Name.Identifier.ValueText == argument || a.NameColon?.Name.Identifier.ValueText == argument);
        if (named is not null) return named.GetLocation();

        var parameters = attribute.AttributeConstructor?.Parameters ?? default;
        int index = parameters.IsDefault ? -1 : parameters.IndexOf(parameters.FirstOrDefault(p => p.Name == argument)!);
        var positional = arguments.Where(a => a.NameEquals is null).ToList();
        return index >= 0 && index < positional.Count ? positional[index].GetLocation() : syntax.GetLocation();
    }
}
