using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// Byte-level BPE as GPT-2 writes its vocab.json: every byte is shown as one printable character (the bytes that
/// are printable Latin-1 as themselves, the others as U+0100 onwards), so a token string maps back to bytes one
/// character per byte. Special tokens and strings with characters outside that alphabet are excluded.
/// </summary>
internal sealed class ByteLevelBpeTokenBytes : ITokenBytes
{
    static readonly Dictionary<char, byte> ByteOfChar = BuildAlphabet();

    readonly byte[]?[] _bytes;

    public ByteLevelBpeTokenBytes(CodeGenTokenizer tokenizer)
    {
        var special = new HashSet<int>(tokenizer.SpecialTokens?.Values ?? Enumerable.Empty<int>());
        foreach (var id in new[] { tokenizer.BeginningOfSentenceId, tokenizer.EndOfSentenceId, tokenizer.UnknownTokenId })
            if (id is { } known) special.Add(known);
        Count = tokenizer.Vocabulary.Values.Concat(special).DefaultIfEmpty(-1).Max() + 1;
        _bytes = new byte[Count][];
        foreach (var (token, id) in tokenizer.Vocabulary)
            if (!special.Contains(id)) _bytes[id] = Decode(token);
    }

    public int Count { get; }

    public bool IsSpecialToken(int id) => _bytes[id] is null;

    public byte[] GetTokenBytes(int id) => _bytes[id]!;

    static byte[]? Decode(string token)
    {
        var bytes = new byte[token.Length];
        for (var i = 0; i < token.Length; i++)
        {
            if (!ByteOfChar.TryGetValue(token[i], out var b)) return null;
            bytes[i] = b;
        }
        return bytes;
    }

    static Dictionary<char, byte> BuildAlphabet()
    {
        var map = new Dictionary<char, byte>();
        var shifted = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[printable ? (char)b : (char)(256 + shifted++)] = (byte)b;
        }
        return map;
    }
}
