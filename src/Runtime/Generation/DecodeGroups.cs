using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Generation;

/// <summary>
/// Splits a batch of prompts so that every prompt gets its own token budget — <c>min(MaxNewTokens, context − its
/// length)</c>, what it would get alone — although a batch is left-padded to its longest prompt: prompts go together
/// while the longest of a group plus the largest budget in it fits the context window. A batch whose prompts all
/// leave room for <c>MaxNewTokens</c> stays one group.
/// </summary>
internal static class DecodeGroups
{
    /// <summary>The token budget of each prompt.</summary>
    public static int[] Budgets(IReadOnlyList<IReadOnlyList<int>> prompts, int maxNewTokens, long context) =>
        prompts.Select(p => (int)Math.Min(maxNewTokens, context - p.Count)).ToArray();

    /// <summary>Groups of prompt indices (each group in the original order), longest prompts first.</summary>
    public static List<int[]> Plan(IReadOnlyList<IReadOnlyList<int>> prompts, int[] budgets, long context)
    {
        var order = Enumerable.Range(0, prompts.Count).OrderByDescending(i => prompts[i].Count).ThenBy(i => i).ToArray();
        var groups = new List<List<int>>();
        long width = 0;
        foreach (var i in order)
        {
            // Rows come longest first, so the group's width is its first row's length.
            if (groups.Count == 0 || width + budgets[i] > context)
            {
                groups.Add([]);
                width = prompts[i].Count;
            }
            groups[^1].Add(i);
        }
        return groups.Select(g => g.Order().ToArray()).ToList();
    }
}
