using System;
using System.Collections.Concurrent;
using System.Linq;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Which token ids may follow each automaton state, over one tokenizer's table cut to a model's vocabulary: a token is
/// allowed when its bytes keep the automaton alive and the value can still be finished within the tokens that remain.
/// Each state's set is computed once (one walk of the token trie) and cached as a bit set; a smaller budget than the
/// set's own worst case is cached separately per (state, budget). Thread-safe.
/// </summary>
/// <remarks>
/// The tokens a state needs to finish are counted along its shortest completion (the fewest bytes, see
/// <see cref="ByteDfa.ShortestCompletion"/>), cut greedily into the longest tokens of the table. That count never
/// exceeds the state's minimum bytes (every byte is a token of its own, checked here), and it only falls by one along
/// its own first token, so a row that may take a token can always be finished: the budget rule never strands a row.
/// </remarks>
internal sealed class TokenMasks
{
    readonly ByteDfa _dfa;
    readonly TokenTable _table;
    readonly ConcurrentDictionary<int, (ulong[] Bits, int MaxTokensAfter)> _unlimited = new();
    readonly ConcurrentDictionary<(int State, int Budget), ulong[]> _limited = new();
    readonly int[] _tokensToFinish;

    public TokenMasks(ByteDfa dfa, TokenTable table, int vocabularySize)
    {
        _dfa = dfa;
        _table = table;
        VocabularySize = vocabularySize;
        Tensors = new BlockedTokenTensors(vocabularySize);
        Nothing = new ulong[(vocabularySize + 63) / 64];
        CheckEveryByteIsOneToken();
        _tokensToFinish = CountTokensToFinish();
    }

    /// <summary>Tokens that finish the value from <paramref name="state"/> along its shortest completion.</summary>
    public int TokensToFinish(int state) => _tokensToFinish[state];

    /// <summary>Width of the masks (the model's vocabulary; ids the tokenizer lacks are never allowed).</summary>
    public int VocabularySize { get; }

    /// <summary>The allowed sets as reusable blocked-token tensors.</summary>
    public BlockedTokenTensors Tensors { get; }

    /// <summary>The empty set (a final state allows nothing but the end of the sequence).</summary>
    public ulong[] Nothing { get; }

    /// <summary>Whether <see cref="Allowed"/> gives the state's set for any budget (cached for good) rather than a budget-limited one.</summary>
    public bool IsUnlimited(int state, int remaining) => remaining >= _unlimited.GetOrAdd(state, s => Walk(s, int.MaxValue)).MaxTokensAfter;

    /// <summary>
    /// Tokens allowed in <paramref name="state"/> when at most <paramref name="remaining"/> tokens may follow: bit
    /// <c>id</c> is set when the token keeps the value completable in that many single-byte tokens.
    /// </summary>
    public ulong[] Allowed(int state, int remaining)
    {
        var (bits, maxTokensAfter) = _unlimited.GetOrAdd(state, s => Walk(s, int.MaxValue));
        return remaining >= maxTokensAfter ? bits : _limited.GetOrAdd((state, remaining), key => Walk(key.State, key.Budget).Bits);
    }

    /// <summary>One pass over the trie from <paramref name="state"/>, skipping every subtree whose prefix is already dead.</summary>
    (ulong[] Bits, int MaxTokensAfter) Walk(int state, int budget)
    {
        var bits = new ulong[(VocabularySize + 63) / 64];
        var states = new int[_table.MaxDepth + 1];
        states[0] = state;
        var maxTokensAfter = 0;
        var label = _table.Label;
        var depth = _table.Depth;
        for (var node = 1; node < label.Length;)
        {
            var next = _dfa.Step(states[depth[node] - 1], label[node]);
            if (next == ByteDfa.Dead)
            {
                node = _table.SubtreeEnd[node];
                continue;
            }
            states[depth[node]] = next;
            var tokensAfter = _tokensToFinish[next];
            if (_table.TokenCount[node] > 0 && tokensAfter <= budget)
            {
                var any = false;
                for (var k = _table.FirstToken[node]; k < _table.FirstToken[node] + _table.TokenCount[node]; k++)
                {
                    var id = _table.SortedTokens[k];
                    if (id >= VocabularySize) continue;
                    bits[id >> 6] |= 1UL << (id & 63);
                    any = true;
                }
                if (any) maxTokensAfter = Math.Max(maxTokensAfter, tokensAfter);
            }
            node++;
        }
        return (bits, maxTokensAfter);
    }

    /// <summary>For each state, in order of fewest bytes to acceptance: one greedy token along the shortest completion, then the count of the state it leads to.</summary>
    int[] CountTokensToFinish()
    {
        var count = new int[_dfa.StateCount];
        var order = Enumerable.Range(0, _dfa.StateCount).OrderBy(_dfa.MinBytes).ToArray();
        foreach (var state in order)
        {
            if (_dfa.MinBytes(state) == 0) continue;
            // Follow the shortest completion down the trie, remembering where the longest token along it ends.
            var node = 0;
            var current = state;
            var afterLongest = ByteDfa.Dead;
            while (_dfa.MinBytes(current) > 0)
            {
                var b = _dfa.NextOnShortestPath(current);
                node = Child(node, b);
                if (node < 0) break;
                current = _dfa.Step(current, b);
                if (HasTokenInVocabulary(node)) afterLongest = current;
            }
            count[state] = 1 + count[afterLongest];   // a single-byte token always exists, so afterLongest is set
        }
        return count;
    }

    int Child(int node, byte b)
    {
        for (var child = node + 1; child < _table.SubtreeEnd[node]; child = _table.SubtreeEnd[child])
            if (_table.Label[child] == b) return child;
        return -1;
    }

    bool HasTokenInVocabulary(int node)
    {
        for (var k = _table.FirstToken[node]; k < _table.FirstToken[node] + _table.TokenCount[node]; k++)
            if (_table.SortedTokens[k] < VocabularySize) return true;
        return false;
    }

    /// <summary>
    /// The budget rule counts at most one token per byte still needed, which holds only if every byte the grammar can read
    /// is a token of its own.
    /// </summary>
    void CheckEveryByteIsOneToken()
    {
        var single = new bool[256];
        for (var id = 0; id < Math.Min(_table.Count, VocabularySize); id++)
            if (_table.BytesOf(id) is { Length: 1 } bytes) single[bytes[0]] = true;
        var missing = _dfa.Alphabet.Where(b => !single[b]).ToArray();
        if (missing.Length > 0)
            throw new NotSupportedException(
                $"The tokenizer has no single-token encoding of byte(s) {string.Join(", ", missing.Take(8).Select(b => $"0x{b:X2}"))}"
                + $"{(missing.Length > 8 ? $" and {missing.Length - 8} more" : "")} within the model's {VocabularySize} ids, "
                + "which the schema's values may need; structured output needs a byte-level tokenizer (every byte a token) so that any value can be finished.");
    }
}
