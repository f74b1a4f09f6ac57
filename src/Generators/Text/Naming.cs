using System.Text;

namespace ModelDsl.Generators.Text;

internal static class Naming
{
    /// <summary>
    /// <c>TokenEmbedding</c> → <c>token_embedding</c>, <c>LmHead</c> → <c>lm_head</c>, <c>HTTPServer</c> → <c>http_server</c>,
    /// <c>_hidden</c> → <c>hidden</c>: the default state-dict name of a member.
    /// </summary>
    public static string ToSnakeCase(string name)
    {
        var trimmed = name.TrimStart('_');
        var builder = new StringBuilder(trimmed.Length + 4);
        for (int i = 0; i < trimmed.Length; i++)
        {
            char c = trimmed[i];
            if (char.IsUpper(c) && i > 0)
            {
                char previous = trimmed[i - 1];
                bool nextIsLower = i + 1 < trimmed.Length && char.IsLower(trimmed[i + 1]);
                if (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && nextIsLower))
                    builder.Append('_');
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>The backing field of a generated property: <c>Hidden</c> → <c>__hidden</c>.</summary>
    public static string BackingField(string propertyName) => "__" + char.ToLowerInvariant(propertyName[0]) + propertyName.Substring(1);
}
