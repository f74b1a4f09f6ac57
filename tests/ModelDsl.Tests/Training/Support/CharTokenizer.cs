using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Tests.Training.Support;

/// <summary>A deterministic character-level tokenizer: id 0 is padding, id 1 end of text, then one id per known character.</summary>
internal sealed class CharTokenizer : Tokenizer
{
    public const int Pad = 0;
    public const int Eos = 1;
    readonly Dictionary<char, int> _ids;
    readonly char[] _chars;

    public CharTokenizer(string alphabet)
    {
        _chars = alphabet.Distinct().ToArray();
        _ids = _chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i + 2);
    }

    public int VocabularySize => _chars.Length + 2;

    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var source = text is null ? textSpan : text.AsSpan();
        var tokens = new List<EncodedToken>(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            if (!_ids.TryGetValue(source[i], out var id))
                throw new ArgumentException($"Character '{source[i]}' is not in the test alphabet.");
            tokens.Add(new EncodedToken(id, source[i].ToString(), new Range(i, i + 1)));
        }
        return new EncodeResults<EncodedToken> { Tokens = tokens, CharsConsumed = source.Length };
    }

    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        idsConsumed = 0;
        charsWritten = 0;
        foreach (var id in ids)
        {
            if (id < 2) { idsConsumed++; continue; }
            if (charsWritten == destination.Length) return OperationStatus.DestinationTooSmall;
            destination[charsWritten++] = _chars[id - 2];
            idsConsumed++;
        }
        return OperationStatus.Done;
    }

    public override string Decode(IEnumerable<int> ids) =>
        new(ids.Where(i => i >= 2).Select(i => _chars[i - 2]).ToArray());
}
