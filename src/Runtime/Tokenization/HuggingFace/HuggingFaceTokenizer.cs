using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Tokenizers;

namespace ModelDsl.Tokenization;

/// <summary>
/// A tokenizer from a Hugging Face <c>tokenizer.json</c> (and optionally its <c>tokenizer_config.json</c>) that
/// encodes and decodes exactly as the Rust <c>tokenizers</c> library and transformers do, for the BPE tokenizers of
/// Llama 2/3, Qwen 2.5/3, Gemma 1–3, Mistral, SmolLM2 and GPT-2.
/// </summary>
/// <remarks>
/// <see cref="Tokenizer.EncodeToIds(string, bool, bool)"/> and <see cref="Tokenizer.CountTokens(string, bool, bool)"/>
/// never add special tokens (the SDK assembles whole sequences itself); <see cref="Encode(string, bool)"/> gives both of
/// Hugging Face's meanings. Special-token text inside the input (e.g. <c>&lt;|eot_id|&gt;</c>) becomes its id, as in
/// Hugging Face. Token offsets are ranges of the caller's string. Instances are safe to use from many threads.
/// </remarks>
public sealed class HuggingFaceTokenizer : Tokenizer
{
    readonly BpeModel _model;
    readonly AddedVocabulary _added;
    readonly TokenizerPipeline _pipeline;
    readonly IPostProcessorStep? _postProcessor;
    readonly ITokenDecoder? _decoder;
    readonly byte[]?[] _tokenBytes;

    HuggingFaceTokenizer(TokenizerDefinition definition, TokenizerConfig? config)
    {
        _model = definition.Model;
        _added = new AddedVocabulary(definition.AddedTokens, definition.Normalizer);
        _pipeline = new TokenizerPipeline(_model, _added, definition.Normalizer, definition.PreTokenizer);
        _decoder = definition.Decoder;
        Config = config;
        AddedTokens = definition.AddedTokens;
        _postProcessor = definition.PostProcessor;
        if (config is not null)
        {
            TransformersCompatibility.Check(config, definition.AddedTokens, definition.PreTokenizer);
            if (TransformersCompatibility.RebuildsPostProcessor(config))
                _postProcessor = TransformersCompatibility.RebuiltPostProcessor(config, TokenToId);
        }
        var size = Math.Max(_model.Vocabulary.Values.DefaultIfEmpty(-1).Max(), definition.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        VocabularySize = size;
        _tokenBytes = new byte[]?[size];
        var frame = _postProcessor?.Process([-1], addSpecialTokens: true) ?? [-1];
        var at = frame.IndexOf(-1);
        SequencePrefix = at < 0 ? [] : frame.Take(at).ToArray();
        SequenceSuffix = at < 0 ? [] : frame.Skip(at + 1).ToArray();
    }

    /// <summary>
    /// Loads <paramref name="tokenizerJsonPath"/>, and <paramref name="tokenizerConfigPath"/> when given, within
    /// <paramref name="limits"/> (<see cref="TokenizerFileLimits.Default"/> when null). Throws
    /// <see cref="System.IO.InvalidDataException"/> naming the file and field for anything malformed, too large or not implemented.
    /// </summary>
    public static HuggingFaceTokenizer FromFiles(string tokenizerJsonPath, string? tokenizerConfigPath = null, TokenizerFileLimits? limits = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        if (!File.Exists(tokenizerJsonPath)) throw new FileNotFoundException($"'{tokenizerJsonPath}' does not exist; expected a Hugging Face tokenizer.json.", tokenizerJsonPath);
        if (tokenizerConfigPath is not null && !File.Exists(tokenizerConfigPath))
            throw new FileNotFoundException($"'{tokenizerConfigPath}' does not exist; expected a Hugging Face tokenizer_config.json.", tokenizerConfigPath);
        limits ??= TokenizerFileLimits.Default;
        var config = tokenizerConfigPath is null ? null : TokenizerConfig.Load(tokenizerConfigPath, limits);
        return new HuggingFaceTokenizer(TokenizerJsonReader.Read(tokenizerJsonPath, limits), config);
    }

    /// <summary>The <c>tokenizer_config.json</c> read with the tokenizer, if any.</summary>
    public TokenizerConfig? Config { get; }

    /// <summary>The <c>added_tokens</c> of <c>tokenizer.json</c>.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>One more than the largest id (model vocabulary and added tokens).</summary>
    public int VocabularySize { get; }

    /// <summary>The ids <see cref="Encode(string, bool)"/> puts before the text when adding special tokens (e.g. Llama 3's <c>&lt;|begin_of_text|&gt;</c>).</summary>
    public IReadOnlyList<int> SequencePrefix { get; }

    /// <summary>The ids <see cref="Encode(string, bool)"/> puts after the text when adding special tokens.</summary>
    public IReadOnlyList<int> SequenceSuffix { get; }

    /// <summary>
    /// Encodes as Hugging Face's <c>encode(text, add_special_tokens)</c>: with <paramref name="addSpecialTokens"/> the
    /// post-processor's tokens are added (BOS for Llama 3 and Gemma, none for Qwen); without, none are.
    /// </summary>
    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = _pipeline.Encode(text).Select(t => t.Id).ToList();
        return _postProcessor?.Process(ids, addSpecialTokens) ?? ids;
    }

    /// <summary>The id of a token text (added tokens first, then the model's vocabulary), or null.</summary>
    public int? TokenToId(string token) =>
        _added.TryGet(token, out var added) ? added.Id : _model.TryGetId(token, out var id) ? id : null;

    /// <summary>The text of a token id as stored in the vocabulary (byte-level or <c>▁</c> form), or null for an unknown id.</summary>
    public string? IdToToken(int id) => _added.TryGet(id, out var added) ? added.Content : _model.TokenOf(id);

    /// <summary>Whether <paramref name="id"/> is an added token marked special.</summary>
    public bool IsSpecialToken(int id) => _added.TryGet(id, out var token) && token.Special;

    /// <summary>Whether <paramref name="id"/> is any added token (special or not).</summary>
    public bool IsAddedToken(int id) => _added.TryGet(id, out _);

    /// <summary>
    /// The exact bytes token <paramref name="id"/> contributes when decoded in the middle of a sequence: byte-level
    /// tokens through GPT-2's byte map, <c>▁</c> as a space, <c>&lt;0xNN&gt;</c> as that byte; added tokens as their text.
    /// </summary>
    public byte[] GetTokenBytes(int id)
    {
        if (id < 0 || id >= VocabularySize || IdToToken(id) is not { } token)
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Not a token id of this tokenizer (0 to {VocabularySize - 1}).");
        return _tokenBytes[id] ??= DecodedTokenBytes.Of(token, _decoder);
    }

    /// <summary>Decodes as Hugging Face's <c>decode(ids)</c>: special tokens kept, spaces cleaned up when the configuration says so.</summary>
    public override string Decode(IEnumerable<int> ids) => Decode(ids, skipSpecialTokens: false);

    /// <summary>Decodes as Hugging Face's <c>decode(ids, skip_special_tokens)</c>; unknown ids are skipped, as there.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var tokens = new List<string>();
        foreach (var id in ids)
        {
            if (IdToToken(id) is not { } token) continue;
            if (skipSpecialTokens && _added.TryGet(token, out var added) && added.Special) continue;
            tokens.Add(token);
        }
        var text = _decoder is null ? string.Join(" ", tokens) : string.Concat(_decoder.DecodeChain(tokens));
        return Config?.CleanUpTokenizationSpaces == true ? TransformersCompatibility.CleanUpTokenization(text) : text;
    }

    /// <inheritdoc />
    public override OperationStatus Decode(IEnumerable<int> ids, Span<char> destination, out int idsConsumed, out int charsWritten)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var all = ids as IReadOnlyList<int> ?? ids.ToList();
        for (var count = all.Count; count >= 0; count--)
        {
            var text = Decode(all.Take(count));
            if (text.Length > destination.Length) continue;
            text.AsSpan().CopyTo(destination);
            idsConsumed = count;
            charsWritten = text.Length;
            return count == all.Count ? OperationStatus.Done : OperationStatus.DestinationTooSmall;
        }
        idsConsumed = charsWritten = 0;
        return OperationStatus.DestinationTooSmall;
    }

    /// <summary>Tokens without special tokens, with offsets into the input text (<see cref="EncodeResults{T}.NormalizedText"/> is null).</summary>
    protected override EncodeResults<EncodedToken> EncodeToTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text ?? textSpan.ToString();
        var encoded = Truncate(_pipeline.Encode(input, settings.ConsiderNormalization, settings.ConsiderPreTokenization), settings.MaxTokenCount, input.Length, out var consumed);
        var tokens = encoded.Select(t => new EncodedToken(t.Id, IdToToken(t.Id) ?? "", new Range(t.Start, t.End))).ToList();
        return new EncodeResults<EncodedToken> { Tokens = tokens, NormalizedText = null, CharsConsumed = consumed };
    }

    /// <summary>Ids without special tokens.</summary>
    protected override EncodeResults<int> EncodeToIds(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings)
    {
        var input = text ?? textSpan.ToString();
        var encoded = Truncate(_pipeline.Encode(input, settings.ConsiderNormalization, settings.ConsiderPreTokenization), settings.MaxTokenCount, input.Length, out var consumed);
        return new EncodeResults<int> { Tokens = encoded.Select(t => t.Id).ToList(), NormalizedText = null, CharsConsumed = consumed };
    }

    /// <summary>The number of tokens without special tokens.</summary>
    protected override int CountTokens(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings) =>
        _pipeline.Encode(text ?? textSpan.ToString(), settings.ConsiderNormalization, settings.ConsiderPreTokenization).Count;

    /// <summary>
    /// The index in the text where at most <c>settings.MaxTokenCount</c> tokens end (or, from the end, begin), never
    /// inside the characters of one token.
    /// </summary>
    protected override int GetIndexByTokenCount(string? text, ReadOnlySpan<char> textSpan, EncodeSettings settings, bool fromEnd,
        out string? normalizedText, out int tokenCount)
    {
        normalizedText = null;
        var input = text ?? textSpan.ToString();
        var tokens = _pipeline.Encode(input, settings.ConsiderNormalization, settings.ConsiderPreTokenization);
        var max = Math.Max(0, settings.MaxTokenCount);
        if (!fromEnd)
        {
            var kept = Truncate(tokens, max, input.Length, out var index);
            tokenCount = kept.Count;
            return index;
        }
        var count = Math.Min(max, tokens.Count);
        while (count > 0 && count < tokens.Count && tokens[^count].Start < tokens[^(count + 1)].End) count--;
        tokenCount = count;
        return count == 0 ? input.Length : tokens[^count].Start;
    }

    /// <summary>The first tokens up to <paramref name="max"/>, backing off so that no character is split between kept and dropped tokens.</summary>
    static List<(int Id, int Start, int End)> Truncate(List<(int Id, int Start, int End)> tokens, int max, int textLength, out int consumed)
    {
        if (max <= 0 || max >= tokens.Count)
        {
            consumed = max > 0 || tokens.Count == 0 ? textLength : 0;
            return max > 0 || tokens.Count == 0 ? tokens : [];
        }
        var count = max;
        while (count > 0 && tokens[count].Start < tokens[count - 1].End) count--;
        consumed = count == 0 ? 0 : tokens[count - 1].End;
        return tokens.GetRange(0, count);
    }
}
