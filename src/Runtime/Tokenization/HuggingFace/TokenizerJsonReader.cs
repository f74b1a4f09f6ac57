using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Tokenization;

/// <summary>Everything <c>tokenizer.json</c> defines, ready to run.</summary>
internal sealed record TokenizerDefinition(
    BpeModel Model,
    IReadOnlyList<AddedToken> AddedTokens,
    ITextNormalizer? Normalizer,
    IPreTokenizerStep? PreTokenizer,
    IPostProcessorStep? PostProcessor,
    ITokenDecoder? Decoder);

/// <summary>
/// Reads <c>tokenizer.json</c> (format version 1.0) with its BPE model, added tokens and pipeline. Sizes and counts are
/// bounded (<see cref="TokenizerFileLimits"/>) before anything large is allocated; unknown or unimplemented fields,
/// types and options are refused by name.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerDefinition Read(string path, TokenizerFileLimits limits)
    {
        using var document = JsonSection.ParseFile(path, limits.MaxTokenizerJsonBytes, nameof(TokenizerFileLimits.MaxTokenizerJsonBytes), limits);
        var root = new JsonSection(document.RootElement, "", path, limits);
        root.RefuseOtherFields("version", "truncation", "padding", "added_tokens", "normalizer", "pre_tokenizer", "post_processor", "decoder", "model");
        if (root.TryGet("version", out var version) && version.AsString() != "1.0")
            throw version.Error($"is '{version.AsString()}'; only format version 1.0 is known.");
        foreach (var unsupported in new[] { "truncation", "padding" })
            if (root.TryGet(unsupported, out var value))
                throw value.Error("must be null: truncation and padding are done by the SDK, not by the tokenizer file.");

        var normalizer = root.TryGet("normalizer", out var n) ? PipelineJsonReader.Normalizer(n) : null;
        var model = Model(root.Required("model"));
        var addedTokens = root.TryGet("added_tokens", out var added) ? AddedTokens(added, model) : [];
        return new TokenizerDefinition(
            model,
            addedTokens,
            normalizer,
            root.TryGet("pre_tokenizer", out var p) ? PipelineJsonReader.PreTokenizer(p) : null,
            root.TryGet("post_processor", out var pp) ? PipelineJsonReader.PostProcessor(pp) : null,
            root.TryGet("decoder", out var d) ? PipelineJsonReader.Decoder(d) : null);
    }

    static BpeModel Model(JsonSection model)
    {
        var type = model.TryGet("type", out var typeValue) ? typeValue.AsString() : null;
        if (type != "BPE")
            throw model.Child("type").Error($"'{type ?? "(missing)"}' is not implemented: ModelDsl reads BPE models only (not Unigram, WordPiece or WordLevel).");
        model.RefuseOtherFields("type", "dropout", "unk_token", "continuing_subword_prefix", "end_of_word_suffix", "fuse_unk",
            "byte_fallback", "ignore_merges", "vocab", "merges");
        if (model.TryGet("dropout", out var dropout) && (dropout.Element.ValueKind != JsonValueKind.Number || dropout.Element.GetDouble() != 0))
            throw dropout.Error("BPE dropout (random merges) is not implemented; it must be null or 0.");

        var (vocabulary, tokenOfId) = Vocabulary(model.Required("vocab"));
        var prefix = model.OptionalString("continuing_subword_prefix");
        var merges = Merges(model.Required("merges"), vocabulary, prefix?.Length ?? 0);
        int? unknownId = null;
        if (model.OptionalString("unk_token") is { } unk)
        {
            if (!vocabulary.TryGetValue(unk, out var id)) throw model.Child("unk_token").Error($"'{unk}' is not in model.vocab.");
            unknownId = id;
        }
        return new BpeModel(vocabulary, tokenOfId, merges, unknownId, prefix, model.OptionalString("end_of_word_suffix"),
            model.Bool("fuse_unk", false), model.Bool("byte_fallback", false), model.Bool("ignore_merges", false));
    }

    // The two loops below run over hundreds of thousands of entries, so they read JsonElements directly and build a
    // field path only for an error.
    static (Dictionary<string, int>, string?[]) Vocabulary(JsonSection vocab)
    {
        vocab.RequireKind(JsonValueKind.Object, "an object of token → id");
        var limits = vocab.Limits;
        var count = 0;
        foreach (var _ in vocab.Element.EnumerateObject())
            if (++count > limits.MaxVocabularySize)
                throw vocab.Error($"has more than {limits.MaxVocabularySize:N0} entries (TokenizerFileLimits.MaxVocabularySize).");
        var vocabulary = new Dictionary<string, int>(count, StringComparer.Ordinal);
        var maxId = -1;
        foreach (var property in vocab.Element.EnumerateObject())
        {
            var token = property.Name;
            if (token.Length > limits.MaxTokenLength)
                throw vocab.Error($"has a token of {token.Length:N0} characters, over TokenizerFileLimits.MaxTokenLength.");
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var id) || id < 0 || id > limits.MaxTokenId)
                throw vocab.Error($"'{token}' must map to an id in [0, {limits.MaxTokenId}] (TokenizerFileLimits.MaxTokenId).");
            vocabulary[token] = id;
            maxId = Math.Max(maxId, id);
        }
        var tokenOfId = new string?[maxId + 1];
        foreach (var (token, id) in vocabulary)
        {
            if (tokenOfId[id] is { } other)
                throw vocab.Error($"gives id {id} to both '{other}' and '{token}'.");
            tokenOfId[id] = token;
        }
        return (vocabulary, tokenOfId);
    }

    static Dictionary<long, (int Rank, int NewId)> Merges(JsonSection merges, Dictionary<string, int> vocabulary, int prefixLength)
    {
        merges.RequireKind(JsonValueKind.Array, "an array");
        var total = merges.Element.GetArrayLength();
        if (total > merges.Limits.MaxMerges)
            throw merges.Error($"has {total:N0} entries, over the limit of {merges.Limits.MaxMerges:N0} (TokenizerFileLimits.MaxMerges).");
        var map = new Dictionary<long, (int, int)>(total, BpeWord.PairComparer);
        var rank = 0;
        foreach (var merge in merges.Element.EnumerateArray())
        {
            string? left = null, right = null;
            if (merge.ValueKind == JsonValueKind.String)
            {
                var text = merge.GetString()!;
                var space = text.IndexOf(' ');
                if (space >= 0 && text.IndexOf(' ', space + 1) < 0) (left, right) = (text[..space], text[(space + 1)..]);
            }
            else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                     && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
                (left, right) = (merge[0].GetString(), merge[1].GetString());
            JsonSection Here() => new(merge, $"{merges.Path}[{rank}]", merges.File, merges.Limits);
            if (left is null || right is null) throw Here().Error("must be \"left right\" (one space) or a pair [left, right].");
            if (!vocabulary.TryGetValue(left, out var leftId)) throw Here().Error($"token '{left}' is not in model.vocab.");
            if (!vocabulary.TryGetValue(right, out var rightId)) throw Here().Error($"token '{right}' is not in model.vocab.");
            if (right.Length < prefixLength) throw Here().Error($"token '{right}' is shorter than continuing_subword_prefix.");
            var merged = prefixLength == 0 ? left + right : left + right[prefixLength..];
            if (!vocabulary.TryGetValue(merged, out var newId)) throw Here().Error($"the merged token '{merged}' is not in model.vocab.");
            map[BpeWord.Pair(leftId, rightId)] = (rank++, newId);   // a repeated pair keeps its last rank, as in Rust
        }
        return map;
    }

    /// <summary>
    /// Added tokens with the ids the Rust library gives them: a text already in the vocabulary keeps its id, a new one
    /// takes the next id after the model's vocabulary. A file whose stated id differs is refused.
    /// </summary>
    static List<AddedToken> AddedTokens(JsonSection section, BpeModel model)
    {
        var tokens = new List<AddedToken>();
        var byContent = new Dictionary<string, int>(StringComparer.Ordinal);
        var nextId = model.VocabularySize;
        foreach (var item in section.Items(section.Limits.MaxAddedTokens))
        {
            item.RefuseOtherFields("id", "content", "single_word", "lstrip", "rstrip", "normalized", "special");
            var content = item.String("content");
            if (content.Length == 0) throw item.Child("content").Error("an added token cannot be empty.");
            if (content.Length > item.Limits.MaxTokenLength) throw item.Child("content").Error("is over TokenizerFileLimits.MaxTokenLength.");
            if (byContent.ContainsKey(content)) throw item.Child("content").Error($"'{content}' is added twice.");
            var stated = item.Required("id").AsInt(0, item.Limits.MaxTokenId);
            var id = model.TryGetId(content, out var existing) ? existing : nextId++;
            if (id != stated)
                throw item.Child("id").Error($"is {stated}, but the Hugging Face library gives '{content}' id {id} (its id in model.vocab, or the next free id after it).");
            byContent[content] = id;
            var special = item.Bool("special", false);
            tokens.Add(new AddedToken(id, content, special, item.Bool("single_word", false), item.Bool("lstrip", false),
                item.Bool("rstrip", false), item.Bool("normalized", !special)));
        }
        return tokens;
    }
}
