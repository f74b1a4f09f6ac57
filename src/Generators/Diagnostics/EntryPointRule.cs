using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.CommandLine;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// MDSL240: with <c>ModelDslCommandLine</c> set to <c>true</c> the generator emits <c>Main</c>. Top-level statements in
/// the project would become the entry point instead — the compiler only warns (CS7022) and the generated command line
/// silently never runs — and another <c>Main</c> clashes with it (CS0017) or wins through <c>StartupObject</c>. Either
/// is reported as an error that says what to do, and the generator then leaves its <c>Main</c> out (see
/// <see cref="UserEntryPoint"/>) so that the error is the build's only one.
/// </summary>
internal static class EntryPointRule
{
    public static void Register(AnalysisContext context) =>
        context.RegisterCompilationStartAction(start =>
        {
            if (!start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(KnownNames.CommandLineBuildProperty, out var value)
                || !string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
                return;
            start.RegisterSyntaxNodeAction(ReportTopLevelStatements, SyntaxKind.GlobalStatement);
            start.RegisterSyntaxNodeAction(ReportMain, SyntaxKind.MethodDeclaration);
        });

    // Once per file, at its first top-level statement.
    static void ReportTopLevelStatements(SyntaxNodeAnalysisContext context)
    {
        var statement = (GlobalStatementSyntax)context.Node;
        if (statement.Parent is not CompilationUnitSyntax unit || unit.Members.OfType<GlobalStatementSyntax>().First() != statement) return;
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EntryPointShadowsCommandLine, statement.GetLocation(),
            $"'{FileName(statement)}' has top-level statements, which would replace the Main that ModelDslCommandLine=true generates (the command line would never run). "
            + "Move this code into a method, or set ModelDslCommandLine to false and call ModelDsl.CommandLine.ModelDslCommandLine.Run from your own Main."));
    }

    static void ReportMain(SyntaxNodeAnalysisContext context)
    {
        var method = (MethodDeclarationSyntax)context.Node;
        if (!UserEntryPoint.IsMain(method)) return;
        var type = (method.Parent as TypeDeclarationSyntax)?.Identifier.ValueText ?? "a type";
        context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.EntryPointShadowsCommandLine, method.Identifier.GetLocation(),
            $"'{type}.Main' is a second entry point beside the Main that ModelDslCommandLine=true generates. "
            + "Rename or remove it, or set ModelDslCommandLine to false and call ModelDsl.CommandLine.ModelDslCommandLine.Run from your own Main."));
    }

    static string FileName(SyntaxNode node) =>
        System.IO.Path.GetFileName(node.SyntaxTree.FilePath) is { Length: > 0 } name ? name : "a file";
}
