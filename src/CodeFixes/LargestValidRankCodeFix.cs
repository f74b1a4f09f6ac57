using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.CodeFixes;

/// <summary>MDSL101: sets the LoRA rank to the largest valid value, the one the diagnostic names.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LargestValidRankCodeFix)), Shared]
public sealed class LargestValidRankCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.RankTooLarge.Id);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticProperties.Replacement, out var value)
                || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int rank)) continue;
            var argument = root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault();
            if (argument is null) continue;
            var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(rank))
                .WithTriviaFrom(argument.Expression);
            context.RegisterCodeFix(
                CodeAction.Create($"Use rank {rank}",
                    _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument.Expression, literal))),
                    equivalenceKey: nameof(LargestValidRankCodeFix)),
                diagnostic);
        }
    }
}
