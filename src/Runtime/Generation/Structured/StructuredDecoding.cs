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
    readonly Tensor _nothingBlocked;   // (V) all false: what an ended row gets

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
        _nothingBlocked = _masks.Tensors.NoneBlocked;
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
        using var scope = NewDisposeScope();
        var rows = new Tensor[_states.Length];
        var built = new List<Tensor>();
        try
        {
            for (var row = 0; row < rows.Length; row++) rows[row] = BlockedRow(row, _budgets[row] - step - 1, built);
            return Apply(logits, rows).MoveToOuterDisposeScope();   // (B, V)
        }
        finally
        {
            foreach (var tensor in built) tensor.Dispose();
        }
    }

    static Tensor Apply(Tensor logits, Tensor[] rows)
    {
        var mask = rows.Length == 1 ? rows[0].unsqueeze(0) : stack(rows);        // (B, V)
        if (logits.device_type != DeviceType.CPU) mask = mask.to(logits.device);   // the cached masks live on the CPU
        // An explicit, disposed-at-the-end scalar: an implicit one can be finalized while the native call still reads it.
        using var negativeInfinity = double.NegativeInfinity.ToScalar();
        return logits.masked_fill(mask, negativeInfinity);                       // (B, V)
    }

    /// <summary>Row <paramref name="row"/>'s blocked tokens <c>[V]</c> with <paramref name="remaining"/> tokens left after this one.</summary>
    Tensor BlockedRow(int row, int remaining, List<Tensor> built)
    {
        if (_done[row]) return _nothingBlocked;   // the row has ended; its token is ignored, but softmax needs something finite
        var state = _states[row];
        var eos = _dfa.IsAccepting(state) && _endOfSequence is { } id ? id : -1;
        if (_dfa.IsFinal(state)) return _masks.Tensors.Get(_masks.Nothing, eos);
        var allowed = _masks.Allowed(state, remaining);
        if (_masks.IsUnlimited(state, remaining)) return _masks.Tensors.Get(allowed, eos);
        // A budget-limited set is met only near the end of a budget: built for this step and freed after it.
        var limited = BlockedTokenTensors.Build(allowed, eos, _masks.VocabularySize);
        built.Add(limited);
        return limited;
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

    static bool IsEmpty(ulong[] bits) => Array.TrueForAll(bits, w => w == 0);
}
