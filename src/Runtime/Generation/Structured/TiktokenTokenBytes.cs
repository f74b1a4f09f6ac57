using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Generation.Structured;

/// <summary>
/// A tiktoken tokenizer's ranks are its tokens' bytes; special tokens (such as GPT-2's &lt;|endoftext|&gt;) are
/// excluded. Microsoft.ML.Tokenizers keeps the id-to-bytes map internal (its <c>Decoder</c> property), so it is read
/// by reflection; the pinned package version is covered by tests, and a version without it is refused clearly.
/// </summary>
internal sealed class TiktokenTokenBytes : ITokenBytes
{
    static readonly PropertyInfo? DecoderProperty =
        typeof(TiktokenTokenizer).GetProperty("Decoder", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    readonly IReadOnlyDictionary<int, ReadOnlyMemory<byte>> _decoder;
    readonly HashSet<int> _special;

    public TiktokenTokenBytes(TiktokenTokenizer tokenizer)
    {
        _decoder = DecoderProperty?.GetValue(tokenizer) as IReadOnlyDictionary<int, ReadOnlyMemory<byte>>
                   ?? throw new NotSupportedException(
                       "This version of Microsoft.ML.Tokenizers does not expose TiktokenTokenizer's id-to-bytes map (the 'Decoder' property), "
                       + "which structured output reads; use the version pinned in Directory.Packages.props.");
        _special = new HashSet<int>(tokenizer.SpecialTokens?.Values ?? Enumerable.Empty<int>());
        Count = _decoder.Keys.Concat(_special).DefaultIfEmpty(-1).Max() + 1;
    }

    public int Count { get; }

    public bool IsSpecialToken(int id) => _special.Contains(id) || !_decoder.ContainsKey(id);

    public byte[] GetTokenBytes(int id) => _decoder[id].ToArray();
}
