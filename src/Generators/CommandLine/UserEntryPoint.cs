using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Common;

namespace ModelDsl.Generators.CommandLine;

/// <summary>
/// An entry point the project writes itself: top-level statements or a <c>static Main</c> of its own. With
/// <c>ModelDslCommandLine=true</c> such a project gets MDSL240, and the generator leaves its own <c>Main</c> out, so that
/// C# adds no second complaint (CS0017 for two <c>Main</c>s, CS7022 for top-level statements beside one).
/// </summary>
internal static class UserEntryPoint
{
    public static bool Is(SyntaxNode node) => node switch
    {
        GlobalStatementSyntax => true,
        MethodDeclarationSyntax method => IsMain(method),
        _ => false,
    };

    /// <summary>A <c>static Main</c> outside the class the generator writes.</summary>
    public static bool IsMain(MethodDeclarationSyntax method) =>
        method.Identifier.ValueText == "Main" && method.Modifiers.Any(SyntaxKind.StaticKeyword)
        && method.Parent is not TypeDeclarationSyntax { Identifier.ValueText: KnownNames.CommandLineProgram };
}
