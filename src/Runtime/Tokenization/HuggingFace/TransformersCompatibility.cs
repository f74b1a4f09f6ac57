using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Tokenization;

/// <summary>
/// What Hugging Face transformers (4.x) does on top of the Rust tokenizer when it loads <c>tokenizer_config.json</c>:
/// <c>LlamaTokenizerFast</c> and <c>GemmaTokenizerFast</c> rebuild the post-processor from <c>add_bos_token</c> /
/// <c>add_eos_token</c>, and decoding may clean up spaces. Everything in the configuration that would make
/// transformers encode differently from <c>tokenizer.json</c> alone, and is not reproduced here, is refused.
/// </summary>
internal static class TransformersCompatibility
{
    static readonly string[] RebuildingClasses = ["LlamaTokenizer", "LlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast"];

    public static bool RebuildsPostProcessor(TokenizerConfig config) => RebuildingClasses.Contains(config.TokenizerClass);

    /// <summary>
    /// transformers' <c>update_post_processor</c>: <c>[bos] $A [eos]</c> with BOS when <c>add_bos_token</c> (default
    /// true) and EOS when <c>add_eos_token</c> (default false).
    /// </summary>
    public static IPostProcessorStep RebuiltPostProcessor(TokenizerConfig config, Func<string, int?> idOf)
    {
        var pieces = new List<TemplatePiece>();
        if (config.AddBosToken ?? true) pieces.Add(Special(config, config.BosToken, "bos_token", "add_bos_token", idOf));
        pieces.Add(new TemplatePiece("A", null));
        if (config.AddEosToken ?? false) pieces.Add(Special(config, config.EosToken, "eos_token", "add_eos_token", idOf));
        return new TemplatePostProcessor(pieces);
    }

    static TemplatePiece Special(TokenizerConfig config, string? token, string field, string flag, Func<string, int?> idOf)
    {
        if (token is null) throw TokenizerFileError.At(config.FilePath, flag, $"is true but {field} is not set.");
        var id = idOf(token) ?? throw TokenizerFileError.At(config.FilePath, field, $"'{token}' is not a token of tokenizer.json.");
        return new TemplatePiece(token, [id]);
    }

    /// <summary>Refuses a configuration that transformers would apply in ways not reproduced here.</summary>
    public static void Check(TokenizerConfig config, IReadOnlyList<AddedToken> added, IPreTokenizerStep? preTokenizer)
    {
        var byId = added.ToDictionary(t => t.Id);
        foreach (var (id, expected) in config.AddedTokensDecoder)
        {
            if (!byId.TryGetValue(id, out var actual))
                throw TokenizerFileError.At(config.FilePath, $"added_tokens_decoder.{id}",
                    $"'{expected.Content}' is not an added token of tokenizer.json; transformers would add it, which is not implemented.");
            if (actual != expected)
                throw TokenizerFileError.At(config.FilePath, $"added_tokens_decoder.{id}",
                    $"disagrees with tokenizer.json ({Describe(expected)} here, {Describe(actual)} there).");
        }

        var contents = added.Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
        var named = new (string Field, string? Token)[]
        {
            ("bos_token", config.BosToken), ("eos_token", config.EosToken), ("unk_token", config.UnkToken), ("pad_token", config.PadToken),
        }.Concat(config.NamedSpecialTokens.Select(t => (t.Field, (string?)t.Token)));
        foreach (var (field, token) in named)
            if (token is not null && !contents.Contains(token))
                throw TokenizerFileError.At(config.FilePath, field,
                    $"'{token}' is not an added token of tokenizer.json; transformers would add it as a special token, which is not implemented.");

        if (config.AddPrefixSpace is { } addPrefixSpace)
        {
            if (RebuildsPostProcessor(config))
                throw TokenizerFileError.At(config.FilePath, "add_prefix_space",
                    $"makes {config.TokenizerClass} rebuild the tokenizer from the SentencePiece model, which is not implemented.");
            if (preTokenizer is ByteLevelPreTokenizer byteLevel && byteLevel.AddPrefixSpace != addPrefixSpace)
                throw TokenizerFileError.At(config.FilePath, "add_prefix_space",
                    $"is {addPrefixSpace.ToString().ToLowerInvariant()} but tokenizer.json's ByteLevel pre-tokenizer says otherwise; overriding it is not implemented.");
        }
    }

    static string Describe(AddedToken t) =>
        $"'{t.Content}' special={t.Special} normalized={t.Normalized} lstrip={t.LeftStrip} rstrip={t.RightStrip} single_word={t.SingleWord}";

    /// <summary>transformers' <c>clean_up_tokenization</c>: removes the space before punctuation and English contractions.</summary>
    public static string CleanUpTokenization(string text) => text
        .Replace(" .", ".", StringComparison.Ordinal)
        .Replace(" ?", "?", StringComparison.Ordinal)
        .Replace(" !", "!", StringComparison.Ordinal)
        .Replace(" ,", ",", StringComparison.Ordinal)
        .Replace(" ' ", "'", StringComparison.Ordinal)
        .Replace(" n't", "n't", StringComparison.Ordinal)
        .Replace(" 'm", "'m", StringComparison.Ordinal)
        .Replace(" 's", "'s", StringComparison.Ordinal)
        .Replace(" 've", "'ve", StringComparison.Ordinal)
        .Replace(" 're", "'re", StringComparison.Ordinal);
}
