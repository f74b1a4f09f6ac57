using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Templates;

/// <summary>
/// A prompt template: literal text with <c>{name}</c> placeholders; <c>{{</c> and <c>}}</c> are literal braces.
/// Parsed the same way by the generator (to check placeholders against parameters) and the runtime (to render).
/// </summary>
internal sealed class PromptTemplateSyntax
{
    readonly List<(bool IsPlaceholder, string Text)> _parts;

    PromptTemplateSyntax(List<(bool, string)> parts, string? error)
    {
        _parts = parts;
        Error = error;
    }

    /// <summary>Why the template cannot be used, or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <summary>The placeholder names, in order of first appearance.</summary>
    public IReadOnlyList<string> Placeholders
    {
        get
        {
            var names = new List<string>();
            foreach (var (isPlaceholder, text) in _parts)
                if (isPlaceholder && !names.Contains(text)) names.Add(text);
            return names;
        }
    }

    public static PromptTemplateSyntax Parse(string template)
    {
        var parts = new List<(bool, string)>();
        var literal = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '}')
            {
                if (i + 1 < template.Length && template[i + 1] == '}') { literal.Append('}'); i++; continue; }
                return new PromptTemplateSyntax(parts, $"a lone '}}' at position {i}; write '}}}}' for a literal brace");
            }
            if (c != '{') { literal.Append(c); continue; }
            if (i + 1 < template.Length && template[i + 1] == '{') { literal.Append('{'); i++; continue; }
            int close = template.IndexOf('}', i + 1);
            if (close < 0) return new PromptTemplateSyntax(parts, $"the '{{' at position {i} is never closed");
            var name = template.Substring(i + 1, close - i - 1);
            if (!IsIdentifier(name)) return new PromptTemplateSyntax(parts, $"'{{{name}}}' is not a parameter name");
            if (literal.Length > 0) { parts.Add((false, literal.ToString())); literal.Clear(); }
            parts.Add((true, name));
            i = close;
        }
        if (literal.Length > 0) parts.Add((false, literal.ToString()));
        return new PromptTemplateSyntax(parts, null);
    }

    /// <summary>The template with each placeholder replaced by <paramref name="values"/>[name].</summary>
    public string Render(IReadOnlyDictionary<string, string> values)
    {
        var builder = new StringBuilder();
        foreach (var (isPlaceholder, text) in _parts)
            builder.Append(isPlaceholder ? values[text] : text);
        return builder.ToString();
    }

    static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_')) return false;
        foreach (char c in name)
            if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
        return true;
    }
}
