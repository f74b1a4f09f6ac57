using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Text;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation.Structured;

namespace Quickstart;

/// <summary>
/// A word-level tokenizer for the procedural world: one id per word (with its leading space, as GPT-2 does) or
/// punctuation mark. A vocabulary of a few hundred pieces keeps the embedding table tiny.
/// </summary>
public sealed partial class WordTokenizer : Tokenizer, ITokenBytes
{
    /// <summary>End of text; also the padding id (padding is masked out, so sharing it is harmless).</summary>
    public const int EndOfText = 0;
    const int Unknown = 1;
    readonly string[] _pieces;
    readonly Dictionary<string, int> _ids;

    WordTokenizer(IEnumerable<string> pieces)
    {
        _pieces = ["<|endoftext|>", "<unk>", .. pieces];
        _ids = _pieces.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>
    /// The vocabulary of every piece in <paramref name="texts"/>, ordered so that the same texts give the same ids, then
    /// the <paramref name="appended"/> pieces it lacks: adding those later leaves every earlier id unchanged.
    /// </summary>
    public static WordTokenizer Build(IEnumerable<string> texts, IEnumerable<string>? appended = null)
    {
        var pieces = texts.SelectMany(t => Pieces().Matches(t).Select(m => m.Value)).Distinct().Order(StringComparer.Ordinal).ToList();
        return new([.. pieces, .. (appended ?? []).Distinct().Except(pieces).Order(StringComparer.Ordinal)]);
    }

    /// <summary>Every piece, in id order.</summary>
    public IReadOnlyList<string> Vocabulary => _pieces;

    /// <summary>Number of ids, special tokens included.</summary>
    public int Count => _pieces.Length;

    /// <summary>End of text and unknown: never part of a constrained (JSON) answer.</summary>
    public bool IsSpecialToken(int id) => id is EndOfText or Unknown;

    /// <summary>A piece's UTF-8 bytes, which schema-constrained decoding matches against the JSON it allows.</summary>
    public byte[] GetTokenBytes(int id) => Encoding.UTF8.GetBytes(_pieces[id]);

    /// <summary>The pieces of <paramref name="text"/> that have no id of their own (they would encode as unknown).</summary>
    public IEnumerable<string> UnknownPieces(string text) =>
        Pieces().Matches(text).Select(m => m.Value).Where(p => !_ids.ContainsKey(p)).Distinct();

    // A newline, a word with its optional leading space, or one other character with its optional leading space.
    [GeneratedRegex(@"\n| ?[A-Za-z]+| ?[^\sA-Za-z]")]
    private static partial Regex Pieces();

    /// <inheritdoc/>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var source = text ?? textSpan.ToString();
        var tokens = new List<EncodedToken>();
        foreach (Match m in Pieces().Matches(source))
            tokens.Add(new EncodedToken(_ids.GetValueOrDefault(m.Value, Unknown), m.Value, new Range(m.Index, m.Index + m.Length)));
        return new EncodeResults<EncodedToken> { Tokens = tokens, CharsConsumed = source.Length };
    }

    /// <inheritdoc/>
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        idsConsumed = charsWritten = 0;
        foreach (var id in ids)
        {
            var piece = id == EndOfText ? "" : _pieces[id];
            if (charsWritten + piece.Length > destination.Length) return OperationStatus.DestinationTooSmall;
            piece.AsSpan().CopyTo(destination[charsWritten..]);
            charsWritten += piece.Length;
            idsConsumed++;
        }
        return OperationStatus.Done;
    }

    /// <inheritdoc/>
    public override string Decode(IEnumerable<int> ids) => string.Concat(ids.Where(i => i != EndOfText).Select(i => _pieces[i]));
}
