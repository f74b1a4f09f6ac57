using System.Collections.Immutable;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// The values a diagnostic hands to its code fix in <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/>, so the
/// fix never has to read them back out of the message text (which may be reworded or localised).
/// </summary>
public static class DiagnosticProperties
{
    /// <summary>The text in the source that the fix replaces (a LoRA target), when the span holds more than it.</summary>
    public const string Original = "ModelDsl.Original";

    /// <summary>The value the fix writes (the largest valid rank, the closest layer name).</summary>
    public const string Replacement = "ModelDsl.Replacement";

    internal static ImmutableDictionary<string, string?>? Of(Finding finding)
    {
        if (finding.Replacement is null) return null;
        var properties = ImmutableDictionary<string, string?>.Empty.Add(Replacement, finding.Replacement);
        return finding.Element is null ? properties : properties.Add(Original, finding.Element);
    }
}
