using System;
using System.Collections.Generic;

namespace ModelDsl.Generation;

/// <summary>Stop-sequence checks on decoded text.</summary>
internal static class StopSequences
{
    /// <summary>Index of the earliest stop sequence in <paramref name="text"/>, or -1.</summary>
    public static int FirstIndex(string text, IReadOnlyList<string> stops)
    {
        var first = -1;
        foreach (var stop in stops)
        {
            var at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    /// <summary>
    /// How much of <paramref name="text"/> is safe to show while streaming: everything except a tail that could be
    /// the start of a stop sequence, or an incomplete character (a trailing replacement character from a token that
    /// ends inside a UTF-8 sequence).
    /// </summary>
    public static int SafeLength(string text, IReadOnlyList<string> stops)
    {
        var safe = text.Length;
        while (safe > 0 && text[safe - 1] == '\uFFFD') safe--;
        var held = 0;
        foreach (var stop in stops)
            for (var n = Math.Min(stop.Length - 1, safe); n > held; n--)
                if (string.CompareOrdinal(text, safe - n, stop, 0, n) == 0) { held = n; break; }
        return safe - held;
    }
}
