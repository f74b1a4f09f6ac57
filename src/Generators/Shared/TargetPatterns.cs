using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace ModelDsl.Targeting;

/// <summary>
/// Hugging Face PEFT's rules for which modules a LoRA <c>target_modules</c> list selects, as a pure function of names.
/// Shared by the generator (to inject by straight-line code and count parameters at compile time) and the runtime
/// (to check adapter files), so the two cannot drift.
/// </summary>
internal static class TargetPatterns
{
    // Regex metacharacters that mark an entry as a regular expression. '.' is left out: it is the separator of
    // every module name, and PEFT users write "attn.c_attn" as a plain suffix.
    const string RegexMarkers = "^$*+?()[]{}|\\";

    static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether <paramref name="targets"/> is one regular expression (PEFT's <c>target_modules</c> as a string).</summary>
    public static bool IsRegex(IReadOnlyList<string> targets) =>
        targets.Count == 1 && targets[0].IndexOfAny(RegexMarkers.ToCharArray()) >= 0;

    /// <summary>The error in a target regex, or <see langword="null"/> when it is valid (or not a regex).</summary>
    public static string? RegexError(IReadOnlyList<string> targets)
    {
        if (!IsRegex(targets)) return null;
        try
        {
            _ = new Regex(targets[0], RegexOptions.CultureInvariant, MatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Whether the module <paramref name="name"/> is selected: the whole name matches the regex, or the name equals an
    /// entry or ends with "." + an entry.
    /// </summary>
    public static bool Matches(string name, IReadOnlyList<string> targets)
    {
        if (IsRegex(targets))
        {
            try
            {
                return Regex.IsMatch(name, "^(?:" + targets[0] + ")$", RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
        return targets.Any(t => MatchesPlain(name, t));
    }

    /// <summary>Whether the module <paramref name="name"/> equals the plain entry <paramref name="target"/> or ends with "." + it.</summary>
    public static bool MatchesPlain(string name, string target) =>
        target.Length > 0 && (name == target || name.EndsWith("." + target, StringComparison.Ordinal));

    /// <summary>The first of <paramref name="names"/> on which the target regex runs out of time (catastrophic backtracking), if any.</summary>
    public static string? FirstTimeout(IReadOnlyList<string> targets, IEnumerable<string> names)
    {
        if (!IsRegex(targets)) return null;
        foreach (var name in names)
        {
            try
            {
                Regex.IsMatch(name, "^(?:" + targets[0] + ")$", RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (RegexMatchTimeoutException)
            {
                return name;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// Selective fine-tuning patterns: a parameter is selected when its name, or the name of a module that contains
    /// it, equals the pattern or ends with "." + the pattern; <c>*</c> stands for any run of characters.
    /// </summary>
    public static bool SelectsParameter(string parameterName, string pattern)
    {
        if (pattern.Length == 0) return false;
        var glob = string.Join(".*", pattern.Split('*').Select(Regex.Escape));
        try
        {
            return Regex.IsMatch(parameterName, "^(?:.*\\.)?" + glob + "(?:\\..*)?$", RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Up to <paramref name="count"/> of <paramref name="candidates"/> closest to <paramref name="target"/> by edit distance.</summary>
    public static IReadOnlyList<string> Closest(string target, IEnumerable<string> candidates, int count = 3) =>
        candidates.Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: EditDistance(target, c)))
            .OrderBy(c => c.Distance).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(count).Select(c => c.Name).ToList();

    static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
