using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Tokenization;

/// <summary>
/// What <c>tokenizer_config.json</c> (written by Hugging Face transformers) says about a tokenizer: its named special
/// tokens, whether BOS/EOS are added, the chat template(s), the context length and decoding clean-up. Fields that would
/// change encoding and are not implemented (e.g. <c>split_special_tokens: true</c>) are refused by name, as are fields
/// ModelDsl does not know.
/// </summary>
public sealed class TokenizerConfig
{
    // transformers writes int(1e30) when a model sets no limit.
    const double NoLimitSentinel = 1e18;

    static readonly string[] NamedTokenFields = ["bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"];

    // Fields that only matter to Python-side features ModelDsl does not use, or that transformers' fast tokenizers ignore.
    static readonly string[] InertFields =
    [
        "model_input_names", "tokenizer_class", "errors", "sp_model_kwargs", "spaces_between_special_tokens",
        "use_default_system_prompt", "padding_side", "truncation_side", "processor_class", "auto_map", "name_or_path",
        "tokenizer_file", "vocab_file", "merges_file", "legacy", "model_type", "use_fast", "clean_up_tokenization_spaces",
        "boi_token", "eoi_token", "image_token", "audio_token", "video_token", "boa_token", "eoa_token",
    ];

    /// <summary>Beginning-of-sequence token text, if any.</summary>
    public string? BosToken { get; private init; }

    /// <summary>End-of-sequence token text, if any.</summary>
    public string? EosToken { get; private init; }

    /// <summary>Unknown-token text, if any.</summary>
    public string? UnkToken { get; private init; }

    /// <summary>Padding token text, if any.</summary>
    public string? PadToken { get; private init; }

    /// <summary><c>add_bos_token</c>, when the file sets it.</summary>
    public bool? AddBosToken { get; private init; }

    /// <summary><c>add_eos_token</c>, when the file sets it.</summary>
    public bool? AddEosToken { get; private init; }

    /// <summary>The transformers class that wrote the file (<c>tokenizer_class</c>), e.g. <c>LlamaTokenizer</c>.</summary>
    public string? TokenizerClass { get; private init; }

    /// <summary>
    /// The default chat template (Jinja source): <c>chat_template.jinja</c> beside the file when there is one, else the
    /// string form, or the entry named <c>default</c>.
    /// </summary>
    public string? ChatTemplate { get; private init; }

    /// <summary>
    /// Every chat template by name (the string form is named <c>default</c>); templates saved as files beside the config
    /// (<c>chat_template.jinja</c>, <c>additional_chat_templates/NAME.jinja</c>) replace those of the same name.
    /// </summary>
    public IReadOnlyDictionary<string, string> ChatTemplates { get; private init; } = new Dictionary<string, string>();

    /// <summary>The model's context length (<c>model_max_length</c>); null when absent or set to transformers' "no limit" value.</summary>
    public long? ModelMaxLength { get; private init; }

    /// <summary>Whether decoding removes spaces before punctuation and contractions (transformers' <c>clean_up_tokenization</c>); false when absent.</summary>
    public bool CleanUpTokenizationSpaces { get; private init; }

    /// <summary><c>add_prefix_space</c>, when the file sets it.</summary>
    public bool? AddPrefixSpace { get; private init; }

    /// <summary>The added tokens the file lists (<c>added_tokens_decoder</c>), by id.</summary>
    public IReadOnlyDictionary<int, AddedToken> AddedTokensDecoder { get; private init; } = new Dictionary<int, AddedToken>();

    /// <summary>Other token texts the file names as special (<c>additional_special_tokens</c>, <c>extra_special_tokens</c>, …).</summary>
    public IReadOnlyList<string> OtherSpecialTokens { get; private init; } = [];

    /// <summary>Each of <see cref="OtherSpecialTokens"/> with the field that names it.</summary>
    internal IReadOnlyList<(string Field, string Token)> NamedSpecialTokens { get; private init; } = [];

    /// <summary>The path the configuration was read from.</summary>
    public string FilePath { get; private init; } = "";

    /// <summary>Reads and checks <c>tokenizer_config.json</c>.</summary>
    public static TokenizerConfig Load(string path, TokenizerFileLimits? limits = null)
    {
        limits ??= TokenizerFileLimits.Default;
        using var document = JsonSection.ParseFile(path, limits.MaxTokenizerConfigBytes, nameof(TokenizerFileLimits.MaxTokenizerConfigBytes), limits);
        var root = new JsonSection(document.RootElement, "", path, limits);
        root.RequireKind(JsonValueKind.Object, "an object");

        var others = new List<(string Field, string Token)>();
        string? bos = null, eos = null, unk = null, pad = null;
        foreach (var (name, value) in root.Properties())
        {
            if (NamedTokenFields.Contains(name) || name.EndsWith("_token", StringComparison.Ordinal) && !name.StartsWith("add_", StringComparison.Ordinal))
            {
                if (name is "boi_token" or "eoi_token" or "image_token" or "audio_token" or "video_token" or "boa_token" or "eoa_token")
                {
                    if (TokenText(value) is { } named) others.Add((name, named));
                    continue;
                }
                var text = TokenText(value);
                switch (name)
                {
                    case "bos_token": bos = text; break;
                    case "eos_token": eos = text; break;
                    case "unk_token": unk = text; break;
                    case "pad_token": pad = text; break;
                    default: if (text is not null) others.Add((name, text)); break;
                }
                continue;
            }
            switch (name)
            {
                case "split_special_tokens" when value.AsBool():
                    throw value.Error("true (special-token text encoded as ordinary text) is not implemented.");
                case "do_lower_case" when value.AsBool():
                    throw value.Error("true (lower-casing outside tokenizer.json) is not implemented.");
                case "from_slow" when value.AsBool():
                    throw value.Error("true (rebuilding the tokenizer from the SentencePiece model) is not implemented.");
                case "split_special_tokens" or "do_lower_case" or "from_slow":
                case "add_bos_token" or "add_eos_token" or "add_prefix_space" or "chat_template"
                    or "model_max_length" or "added_tokens_decoder" or "additional_special_tokens" or "extra_special_tokens":
                    break;
                default:
                    if (!InertFields.Contains(name))
                        throw value.Error("is not known to ModelDsl; remove it if it does not change how text is encoded or decoded.");
                    break;
            }
        }
        if (root.TryGet("additional_special_tokens", out var additional))
            others.AddRange(additional.Items(limits.MaxAddedTokens).Select(t => (t.Path, TokenText(t)!)));
        if (root.TryGet("extra_special_tokens", out var extra))
        {
            if (extra.Element.ValueKind == JsonValueKind.Array) others.AddRange(extra.Items(limits.MaxAddedTokens).Select(t => (t.Path, TokenText(t)!)));
            else others.AddRange(extra.Properties().Select(p => (p.Value.Path, TokenText(p.Value)!)));
        }

        var templates = ChatTemplatesOf(root);
        foreach (var (name, text) in ChatTemplateFiles.Read(Path.GetDirectoryName(Path.GetFullPath(path))!, limits.MaxTokenizerConfigBytes))
            templates[name] = text;
        var template = templates.GetValueOrDefault("default");
        return new TokenizerConfig
        {
            FilePath = path,
            BosToken = bos,
            EosToken = eos,
            UnkToken = unk,
            PadToken = pad,
            AddBosToken = root.TryGet("add_bos_token", out var addBos) ? addBos.AsBool() : null,
            AddEosToken = root.TryGet("add_eos_token", out var addEos) ? addEos.AsBool() : null,
            AddPrefixSpace = root.TryGet("add_prefix_space", out var prefix) ? prefix.AsBool() : null,
            TokenizerClass = root.OptionalString("tokenizer_class"),
            ChatTemplate = template,
            ChatTemplates = templates,
            ModelMaxLength = root.TryGet("model_max_length", out var max) ? MaxLength(max) : null,
            CleanUpTokenizationSpaces = root.Bool("clean_up_tokenization_spaces", false),
            AddedTokensDecoder = root.TryGet("added_tokens_decoder", out var decoder) ? AddedTokens(decoder) : new Dictionary<int, AddedToken>(),
            OtherSpecialTokens = others.Select(o => o.Token).Where(t => t is not null).Distinct().ToList(),
            NamedSpecialTokens = others.Where(o => o.Token is not null).ToList(),
        };
    }

    static string? TokenText(JsonSection value)
    {
        if (value.IsNull) return null;
        if (value.Element.ValueKind == JsonValueKind.String) return value.AsString();
        value.RefuseOtherFields("__type", "content", "lstrip", "normalized", "rstrip", "single_word", "special");
        return value.String("content");
    }

    static long? MaxLength(JsonSection value)
    {
        if (value.Element.ValueKind != JsonValueKind.Number) throw value.Error("must be a number.");
        var number = value.Element.GetDouble();
        if (number >= NoLimitSentinel) return null;
        if (number < 1 || number != Math.Floor(number)) throw value.Error($"is {number}; expected a positive integer.");
        return (long)number;
    }

    static Dictionary<string, string> ChatTemplatesOf(JsonSection root)
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!root.TryGet("chat_template", out var value)) return templates;
        if (value.Element.ValueKind == JsonValueKind.String)
        {
            templates["default"] = value.AsString();
            return templates;
        }
        foreach (var item in value.Items(1024))
        {
            item.RefuseOtherFields("name", "template");
            templates[item.String("name")] = item.String("template");
        }
        return templates;
    }

    static Dictionary<int, AddedToken> AddedTokens(JsonSection section)
    {
        var tokens = new Dictionary<int, AddedToken>();
        foreach (var (key, value) in section.Properties())
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                || id > section.Limits.MaxTokenId)
                throw value.Error("the key must be a token id.");
            value.RefuseOtherFields("__type", "content", "lstrip", "normalized", "rstrip", "single_word", "special");
            var special = value.Bool("special", false);
            tokens[id] = new AddedToken(id, value.String("content"), special, value.Bool("single_word", false),
                value.Bool("lstrip", false), value.Bool("rstrip", false), value.Bool("normalized", !special));
        }
        return tokens;
    }
}
