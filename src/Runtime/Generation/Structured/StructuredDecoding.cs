using System;
using System.Collections.Generic;
using System.Linq;
using System.Numerics;
using Microsoft.ML.Tokenizers;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// One batched decode under a <see cref="JsonSchemaConstraint"/>: each row's automaton state, and before each pick a
/// mask that leaves only the tokens allowed in that state within the remaining token budget. When a row's value is
/// complete the end-of-sequence token becomes its only choice (or, without one, the row stops at once).
/// </summary>
internal sealed class StructuredDecoding : ILogitsProcessor
{
    readonly ByteDfa _dfa;
    readonly TokenMasks _masks;
    readonly TokenTable _table;
    readonly int? _endOfSequence;
    readonly int[] _budgets;   // each row's most new tokens
    readonly int[] _states;
    readonly bool[] _done;
    readonly bool[] _blocked;   // (B, V) row-major: true = token not allowed

    StructuredDecoding(JsonSchemaConstraint constraint, Tokenizer tokenizer, int vocabularySize, int? endOfSequence, int[] budgets)
    {
        _dfa = constraint.Automaton;
        _masks = constraint.MasksFor(tokenizer, vocabularySize);
        _table = TokenTable.For(tokenizer);
        _endOfSequence = endOfSequence;
        _budgets = budgets;
        int rows = budgets.Length;
        _states = new int[rows];
        Array.Fill(_states, _dfa.Start);
        _done = new bool[rows];
        _blocked = new bool[rows * vocabularySize];
    }

    /// <summary>
    /// The decoding state for <paramref name="options"/>' constraint over rows with the given token budgets (each row's
    /// most new tokens: the context window can leave a long prompt fewer), or null when there is no constraint.
    /// </summary>
    /// <exception cref="ArgumentException">No valid value fits in a row's budget, or the end-of-sequence id is outside the vocabulary.</exception>
    public static StructuredDecoding? Start(GenerationOptions options, Tokenizer tokenizer, int vocabularySize, IReadOnlyList<int> budgets)
    {
        if (options.ResponseConstraint is not { } constraint) return null;
        // The value's end is marked with the first end-of-sequence token the options name.
        var end = options.EndOfSequenceTokenId ?? (options.EndOfSequenceTokenIds.Count > 0 ? options.EndOfSequenceTokenIds[0] : null);
        if (end is { } eos && (eos < 0 || eos >= vocabularySize))
            throw new ArgumentException($"End-of-sequence token {eos} is outside the model's vocabulary of {vocabularySize}.", nameof(options));
        var decoding = new StructuredDecoding(constraint, tokenizer, vocabularySize, end, budgets.ToArray());
        int maxNewTokens = budgets.Min();
        if (IsEmpty(decoding._masks.Allowed(decoding._dfa.Start, maxNewTokens - 1)))
            throw new ArgumentException(
                $"No value of the schema fits in MaxNewTokens = {maxNewTokens} new tokens{(maxNewTokens < options.MaxNewTokens ? " (what the context window leaves)" : "")}: "
                + $"the shortest, {constraint.ShortestValue}, takes {decoding._masks.TokensToFinish(decoding._dfa.Start)} tokens of this tokenizer. "
                + "Raise MaxNewTokens (or shorten the prompt).", nameof(options));
        return decoding;
    }

    /// <inheritdoc/>
    public Tensor Process(Tensor logits, int step)
    {
        var vocabulary = _masks.VocabularySize;
        if (logits.shape[^1] != vocabulary)
            throw new InvalidOperationException($"The model produced {logits.shape[^1]} logits per position but the constraint was prepared for {vocabulary}.");
        for (var row = 0; row < _states.Length; row++)
        {
            var remaining = _budgets[row] - step - 1;
            var blocked = _blocked.AsSpan(row * vocabulary, vocabulary);
            if (_done[row])
            {
                blocked.Clear();   // the row has ended; its token is ignored, but softmax needs something finite
                continue;
            }
            var state = _states[row];
            blocked.Fill(true);
            if (!_dfa.IsFinal(state)) Unblock(blocked, _masks.Allowed(state, remaining));
            if (_dfa.IsAccepting(state) && _endOfSequence is { } eos) blocked[eos] = false;
            if (blocked.IndexOf(false) < 0)
                throw new InvalidOperationException($"Row {row} has no allowed token in automaton state {state} with {remaining} tokens left; this is a bug in the budget rule.");
        }
        using var mask = tensor(_blocked, [_states.Length, vocabulary]);   // (B, V)
        using var onDevice = mask.to(logits.device);
        // An explicit, disposed-at-the-end scalar: an implicit one can be finalized while the native call still reads it.
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        return logits.masked_fill(onDevice, negativeInfinity);            // (B, V)
    }

    /// <summary>Moves <paramref name="row"/> past <paramref name="token"/>; true when its value is complete and, with no end-of-sequence token, the row must stop now.</summary>
    public bool Advance(int row, int token)
    {
        if (_done[row]) return false;
        if (token == _endOfSequence)
        {
            _done[row] = true;
            return false;
        }
        var bytes = _table.BytesOf(token)
                    ?? throw new InvalidOperationException($"Token {token} has no bytes but was picked under a constraint; this is a bug in the mask.");
        var state = _dfa.Walk(_states[row], bytes);
        if (state == ByteDfa.Dead)
            throw new InvalidOperationException($"Token {token} does not continue row {row}'s value; this is a bug in the mask.");
        _states[row] = state;
        if (!_dfa.IsFinal(state) || _endOfSequence is not null) return false;
        _done[row] = true;
        return true;
    }

    static void Unblock(Span<bool> blocked, ulong[] bits)
    {
        for (var word = 0; word < bits.Length; word++)
        {
            var x = bits[word];
            var start = word << 6;
            if (x == ulong.MaxValue && start + 64 <= blocked.Length)
                blocked.Slice(start, 64).Clear();   // most words of a string state: every token allowed
            else
                for (; x != 0; x &= x - 1)
                    blocked[start + BitOperations.TrailingZeroCount(x)] = false;
        }
    }

    static bool IsEmpty(ulong[] bits) => Array.TrueForAll(bits, w => w == 0);
}
