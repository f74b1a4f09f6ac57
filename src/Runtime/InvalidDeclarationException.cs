using System;

namespace ModelDsl;

/// <summary>
/// Thrown by the members ModelDsl generates for a declaration the compiler reported as invalid (an <c>MDSL</c> error):
/// the generated class keeps its public shape so that the build shows only the MDSL error, and using it at run time
/// says which error to fix.
/// </summary>
public sealed class InvalidDeclarationException : Exception
{
    /// <summary>Creates the exception for diagnostic <paramref name="diagnosticId"/>.</summary>
    public InvalidDeclarationException(string diagnosticId, string message)
        : base($"{diagnosticId}: {message} (This declaration did not compile into a model; fix the {diagnosticId} error the build reports.)")
        => DiagnosticId = diagnosticId;

    /// <summary>The diagnostic that made the declaration invalid, e.g. <c>MDSL008</c>.</summary>
    public string DiagnosticId { get; }

    /// <summary>Throws; typed so that generated code can call it where a value of <typeparamref name="T"/> is expected.</summary>
    public static T Throw<T>(string diagnosticId, string message) => throw new InvalidDeclarationException(diagnosticId, message);
}
