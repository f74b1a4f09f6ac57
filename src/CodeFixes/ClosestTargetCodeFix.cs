using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.CodeFixes;

/// <summary>MDSL105: replaces a LoRA target that matches no layer with the closest layer name the diagnostic lists.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ClosestTargetCodeFix)), Shared]
public sealed class ClosestTargetCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.TargetMatchesNothing.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Original, out var target) || target is null
                || !diagnostic.Properties.TryGetValue(DiagnosticProperties.Replacement, out var closest) || closest is null) continue;
            var argument = root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault();
            var literal = argument?.Expression.DescendantNodesAndSelf().OfType<LiteralExpressionSyntax>()
                .FirstOrDefault(l => l.IsKind(SyntaxKind.StringLiteralExpression) && l.Token.ValueText == target);
            if (literal is null) continue;
            var replacement = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(closest))
                .WithTriviaFrom(literal);
            context.RegisterCodeFix(
                CodeAction.Create($"Use \"{closest}\"",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(literal, replacement))),
                    equivalenceKey: nameof(ClosestTargetCodeFix) + closest),
                diagnostic);
        }
    }
}
