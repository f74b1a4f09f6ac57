using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Common;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// MDSL026: an enum argument of a ModelDsl attribute that names no member, such as <c>(AdapterPlacement)7</c>. C# accepts
/// the cast; the generator reads the argument by member name, so without this rule it would fall back to the default.
/// Checked on the syntax, so the error sits on the argument itself.
/// </summary>
internal static class UndefinedEnumRule
{
    public static void Register(AnalysisContext context) => context.RegisterSyntaxNodeAction(Analyze, SyntaxKind.Attribute);

    static void Analyze(SyntaxNodeAnalysisContext context)
    {
        var attribute = (AttributeSyntax)context.Node;
        if (attribute.ArgumentList is not { Arguments.Count: > 0 } arguments) return;
        if (context.SemanticModel.GetSymbolInfo(attribute, context.CancellationToken).Symbol is not IMethodSymbol { ContainingType: var attributeType }
            || attributeType.ContainingNamespace?.ToDisplayString() != KnownNames.DslNamespace)
            return;
        foreach (var argument in arguments.Arguments)
        {
            var expression = argument.Expression;
            if (context.SemanticModel.GetTypeInfo(expression, context.CancellationToken).ConvertedType is not INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
                continue;
            var value = context.SemanticModel.GetConstantValue(expression, context.CancellationToken);
            if (!value.HasValue) continue;
            var members = enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).ToList();
            if (members.Any(m => Equals(m.ConstantValue, value.Value))) continue;
            var name = argument.NameEquals?.Name.Identifier.ValueText ?? argument.NameColon?.Name.Identifier.ValueText;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UndefinedEnumValue, expression.GetLocation(),
                $"{(name is null ? "" : name + " = ")}{expression} is not a member of {enumType.Name}: [{attributeType.Name.Replace("Attribute", "")}] "
                + $"would not know what it means. Use one of {string.Join(", ", members.Select(m => enumType.Name + "." + m.Name))}."));
        }
    }
}
