using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Generators.Common;

/// <summary>
/// Tells the user's declarations from the ones this generator added. The analyzers run on the compilation that
/// already contains the generated halves, and must judge only what the user wrote.
/// </summary>
internal static class GeneratedTrees
{
    // Generated trees are named "<generator assembly>/<generator type>/<hint name>".
    const string OutputFolder = "ModelDsl.Generators.ModelGenerator";

    public static bool IsGenerated(SyntaxTree? tree) =>
        tree is not null && tree.FilePath.Replace('\\', '/').Contains("/" + OutputFolder + "/");

    /// <summary>The declarations of <paramref name="symbol"/> that the user wrote.</summary>
    public static IEnumerable<SyntaxReference> UserDeclarations(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Where(r => !IsGenerated(r.SyntaxTree));
}
