using System;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// A JSON schema uses a keyword, a keyword value or a combination that the structured-output engine cannot turn into
/// an automaton. The message names the keyword and where it is, and says what would work instead.
/// </summary>
public sealed class JsonSchemaNotSupportedException : NotSupportedException
{
    /// <summary>The keyword that was refused (for example <c>pattern</c>), or the construct when no single keyword is to blame.</summary>
    public string Keyword { get; }

    /// <summary>JSON pointer of the schema object holding <see cref="Keyword"/> (<c>#</c> for the root).</summary>
    public string SchemaPath { get; }

    /// <summary>Creates the exception for <paramref name="keyword"/> at <paramref name="schemaPath"/>.</summary>
    public JsonSchemaNotSupportedException(string keyword, string schemaPath, string reason)
        : base($"JSON schema keyword '{keyword}' at {schemaPath} is not supported for structured output: {reason}")
    {
        Keyword = keyword;
        SchemaPath = schemaPath;
    }
}
