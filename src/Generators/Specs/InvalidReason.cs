using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generators.Specs;

/// <summary>
/// Why a declaration is invalid, as the first error a validator found. The generated stub's members throw an
/// exception naming it, so that the build shows only the MDSL error and a run says which error to fix.
/// </summary>
internal sealed record InvalidReason(string Id, string Message)
{
    /// <summary>The first error of <paramref name="findings"/>, or <see langword="null"/> when there are only warnings.</summary>
    public static InvalidReason? FirstError(IEnumerable<Finding> findings) =>
        findings.FirstOrDefault(f => !f.IsWarning) is { } error ? new InvalidReason(error.Id, error.Message) : null;

    /// <summary>Generated code that throws <c>InvalidDeclarationException</c> for this reason, typed as <paramref name="type"/>.</summary>
    public string ThrowAs(string type) =>
        $"global::ModelDsl.InvalidDeclarationException.Throw<{type}>({Text.Literals.String(Id)}, {Text.Literals.String(Message)})";

    /// <summary>A statement that throws <c>InvalidDeclarationException</c> for this reason.</summary>
    public string ThrowStatement =>
        $"throw new global::ModelDsl.InvalidDeclarationException({Text.Literals.String(Id)}, {Text.Literals.String(Message)});";

    /// <summary>The XML summary of a stub.</summary>
    public string Summary =>
        $"Not generated: this declaration has error {Id}: {Message.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace('\n', ' ')} " +
        "Its members throw <see cref=\"global::ModelDsl.InvalidDeclarationException\"/>.";
}
