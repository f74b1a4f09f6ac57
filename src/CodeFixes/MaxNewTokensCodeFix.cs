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

/// <summary>
/// MDSL211: raises the prompt method's <c>MaxNewTokens</c> to the bound the diagnostic names — rewriting the argument
/// where the <c>[Prompt]</c> sets one, adding it where the method used the default.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MaxNewTokensCodeFix)), Shared]
public sealed class MaxNewTokensCodeFix : CodeFixProvider
{
    const string Name = "MaxNewTokens";

    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.SmallestAnswerExceedsMaxNewTokens.Id);

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
                || !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int tokens)) continue;
            var node = root.FindNode(diagnostic.Location.SourceSpan);
            var literal = SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(tokens));
            SyntaxNode? fixedRoot = null;
            if (node.AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault() is { NameEquals.Name.Identifier.ValueText: Name } argument)
                fixedRoot = root.ReplaceNode(argument.Expression, literal.WithTriviaFrom(argument.Expression));
            else if (node.AncestorsAndSelf().OfType<MethodDeclarationSyntax>().FirstOrDefault() is { } method && PromptOf(method) is { } prompt)
                fixedRoot = root.ReplaceNode(prompt, prompt.AddArgumentListArguments(
                    SyntaxFactory.AttributeArgument(SyntaxFactory.NameEquals(Name), null, literal)));
            if (fixedRoot is null) continue;
            context.RegisterCodeFix(
                CodeAction.Create($"Use MaxNewTokens = {tokens}", _ => Task.FromResult(context.Document.WithSyntaxRoot(fixedRoot)),
                    equivalenceKey: nameof(MaxNewTokensCodeFix)),
                diagnostic);
        }
    }

    // The method's [Prompt(...)] (or [PromptAttribute(...)], qualified or not).
    static AttributeSyntax? PromptOf(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes)
            .FirstOrDefault(a => a.Name.ToString().Split('.').Last() is "Prompt" or "PromptAttribute");
}
