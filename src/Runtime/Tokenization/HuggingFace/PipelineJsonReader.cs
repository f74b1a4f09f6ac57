using System.IO;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace ModelDsl.Tokenization;

/// <summary>
/// Reads the <c>normalizer</c>, <c>pre_tokenizer</c>, <c>decoder</c> and <c>post_processor</c> sections of
/// <c>tokenizer.json</c>. A type or an option that is not implemented is refused by name.
/// </summary>
internal static class PipelineJsonReader
{
    public static ITextNormalizer? Normalizer(JsonSection section)
    {
        if (section.IsNull) return null;
        var type = section.String("type");
        switch (type)
        {
            case "Sequence":
                section.RefuseOtherFields("type", "normalizers");
                return new SequenceNormalizer(Steps(section.Required("normalizers"), Normalizer));
            case "Prepend":
                section.RefuseOtherFields("type", "prepend");
                return new PrependNormalizer(section.String("prepend"));
            case "Replace":
                section.RefuseOtherFields("type", "pattern", "content");
                return new ReplaceNormalizer(TextPattern.Read(section.Required("pattern")), section.String("content"));
            case "NFC" or "NFD" or "NFKC" or "NFKD":
                section.RefuseOtherFields("type");
                return new UnicodeNormalizer(type switch
                {
                    "NFC" => NormalizationForm.FormC,
                    "NFD" => NormalizationForm.FormD,
                    "NFKC" => NormalizationForm.FormKC,
                    _ => NormalizationForm.FormKD,
                });
            case "Lowercase":
                section.RefuseOtherFields("type");
                return new LowercaseNormalizer();
            case "Strip":
                section.RefuseOtherFields("type", "strip_left", "strip_right");
                return new StripNormalizer(section.Required("strip_left").AsBool(), section.Required("strip_right").AsBool());
            default:
                throw Unsupported(section, type, "Sequence, Prepend, Replace, NFC, NFD, NFKC, NFKD, Lowercase, Strip");
        }
    }

    public static IPreTokenizerStep? PreTokenizer(JsonSection section)
    {
        if (section.IsNull) return null;
        var type = section.String("type");
        switch (type)
        {
            case "Sequence":
                section.RefuseOtherFields("type", "pretokenizers");
                return new SequencePreTokenizer(Steps(section.Required("pretokenizers"), PreTokenizer));
            case "Split":
                section.RefuseOtherFields("type", "pattern", "behavior", "invert");
                return new SplitPreTokenizer(TextPattern.Read(section.Required("pattern")), Behavior(section.Required("behavior")),
                    section.Required("invert").AsBool());
            case "ByteLevel":
                section.RefuseOtherFields("type", "add_prefix_space", "trim_offsets", "use_regex");
                var useRegex = section.Bool("use_regex", true);
                return new ByteLevelPreTokenizer(section.Required("add_prefix_space").AsBool(), useRegex,
                    useRegex ? new OnigRegex(ByteLevelPreTokenizer.Gpt2Pattern, section) : null);
            case "Metaspace":
            {
                var (replacement, scheme, split) = Metaspace(section);
                return new MetaspacePreTokenizer(replacement, scheme, split);
            }
            case "Digits":
                section.RefuseOtherFields("type", "individual_digits");
                return new DigitsPreTokenizer(section.Required("individual_digits").AsBool());
            case "Whitespace":
                section.RefuseOtherFields("type");
                return new WhitespacePreTokenizer();
            case "WhitespaceSplit":
                section.RefuseOtherFields("type");
                return new WhitespaceSplitPreTokenizer();
            default:
                throw Unsupported(section, type, "Sequence, Split, ByteLevel, Metaspace, Digits, Whitespace, WhitespaceSplit");
        }
    }

    public static ITokenDecoder? Decoder(JsonSection section)
    {
        if (section.IsNull) return null;
        var type = section.String("type");
        switch (type)
        {
            case "Sequence":
                section.RefuseOtherFields("type", "decoders");
                return new SequenceDecoder(Steps(section.Required("decoders"), Decoder));
            case "ByteLevel":
                section.RefuseOtherFields("type", "add_prefix_space", "trim_offsets", "use_regex");
                return new ByteLevelDecoder();
            case "Metaspace":
            {
                var (replacement, scheme, _) = Metaspace(section);
                return new MetaspaceDecoder(replacement, scheme);
            }
            case "ByteFallback":
                section.RefuseOtherFields("type");
                return new ByteFallbackDecoder();
            case "Fuse":
                section.RefuseOtherFields("type");
                return new FuseDecoder();
            case "Strip":
                section.RefuseOtherFields("type", "content", "start", "stop");
                return new StripDecoder(SingleCharacter(section.Required("content")), section.Required("start").AsInt(0, 1 << 20),
                    section.Required("stop").AsInt(0, 1 << 20));
            case "Replace":
                section.RefuseOtherFields("type", "pattern", "content");
                return new ReplaceDecoder(TextPattern.Read(section.Required("pattern")), section.String("content"));
            default:
                throw Unsupported(section, type, "Sequence, ByteLevel, Metaspace, ByteFallback, Fuse, Strip, Replace");
        }
    }

    public static IPostProcessorStep? PostProcessor(JsonSection section)
    {
        if (section.IsNull) return null;
        var type = section.String("type");
        switch (type)
        {
            case "Sequence":
                section.RefuseOtherFields("type", "processors");
                return new SequencePostProcessor(Steps(section.Required("processors"), PostProcessor));
            case "ByteLevel":
                section.RefuseOtherFields("type", "add_prefix_space", "trim_offsets", "use_regex");
                return new ByteLevelPostProcessor();
            case "TemplateProcessing":
                section.RefuseOtherFields("type", "single", "pair", "special_tokens");
                return Template(section);
            default:
                throw Unsupported(section, type, "Sequence, ByteLevel, TemplateProcessing");
        }
    }

    /// <summary>The members of a <c>Sequence</c>; a null member is an error, as in the Rust library.</summary>
    static List<T> Steps<T>(JsonSection items, System.Func<JsonSection, T?> read) where T : class =>
        items.Items(64).Select(item => read(item) ?? throw item.Error("must not be null.")).ToList();

    static TemplatePostProcessor Template(JsonSection section)
    {
        var specials = new Dictionary<string, IReadOnlyList<int>>();
        foreach (var (name, value) in section.Required("special_tokens").Properties())
        {
            value.RefuseOtherFields("id", "ids", "tokens");
            var ids = value.Required("ids").Items(1024).Select(i => i.AsInt(0, i.Limits.MaxTokenId)).ToList();
            var tokens = value.Required("tokens").Items(1024).Select(t => t.AsString()).ToList();
            if (ids.Count != tokens.Count) throw value.Error($"has {ids.Count} ids but {tokens.Count} tokens.");
            specials[value.String("id")] = ids;
        }
        var single = Pieces(section.Required("single"), specials, allowB: false);
        Pieces(section.Required("pair"), specials, allowB: true);   // read and checked; the SDK encodes single sequences
        return new TemplatePostProcessor(single);
    }

    static List<TemplatePiece> Pieces(JsonSection template, Dictionary<string, IReadOnlyList<int>> specials, bool allowB)
    {
        var pieces = new List<TemplatePiece>();
        foreach (var item in template.Items(64))
        {
            if (item.TryGet("Sequence", out var sequence))
            {
                item.RefuseOtherFields("Sequence");
                sequence.RefuseOtherFields("id", "type_id");
                var id = sequence.String("id");
                if (id != "A" && !(allowB && id == "B")) throw sequence.Error($"names sequence '{id}'; expected A{(allowB ? " or B" : "")}.");
                pieces.Add(new TemplatePiece(id, null));
            }
            else if (item.TryGet("SpecialToken", out var special))
            {
                item.RefuseOtherFields("SpecialToken");
                special.RefuseOtherFields("id", "type_id");
                var id = special.String("id");
                if (!specials.TryGetValue(id, out var ids)) throw special.Error($"names '{id}', which is not in special_tokens.");
                pieces.Add(new TemplatePiece(id, ids));
            }
            else throw item.Error("must be {\"Sequence\": …} or {\"SpecialToken\": …}.");
        }
        return pieces;
    }

    static (char Replacement, PrependScheme Scheme, bool Split) Metaspace(JsonSection section)
    {
        section.RefuseOtherFields("type", "replacement", "prepend_scheme", "split", "add_prefix_space", "str_rep");
        var replacement = SingleCharacter(section.Required("replacement"));
        if (replacement > 0xFFFF) throw section.Child("replacement").Error("must be a character of the Basic Multilingual Plane.");
        var scheme = PrependScheme.Always;
        if (section.TryGet("prepend_scheme", out var schemeValue))
            scheme = schemeValue.AsString() switch
            {
                "always" => PrependScheme.Always,
                "first" => PrependScheme.First,
                "never" => PrependScheme.Never,
                var other => throw schemeValue.Error($"is '{other}'; expected always, first or never."),
            };
        // The legacy flag may only confirm "never" (prepend_scheme defaults to "always"), as the Rust library checks.
        if (section.TryGet("add_prefix_space", out var legacy) && !legacy.AsBool() && scheme != PrependScheme.Never)
            throw legacy.Error("is false but prepend_scheme is not 'never' (it defaults to 'always').");
        return ((char)replacement, scheme, section.Bool("split", true));
    }

    static int SingleCharacter(JsonSection section)
    {
        var text = section.AsString();
        var runes = text.EnumerateRunes().ToList();
        if (runes.Count != 1) throw section.Error($"must be exactly one character, not '{text}'.");
        return runes[0].Value;
    }

    static SplitBehavior Behavior(JsonSection section) => section.AsString() switch
    {
        "Removed" => SplitBehavior.Removed,
        "Isolated" => SplitBehavior.Isolated,
        "MergedWithPrevious" => SplitBehavior.MergedWithPrevious,
        "MergedWithNext" => SplitBehavior.MergedWithNext,
        "Contiguous" => SplitBehavior.Contiguous,
        var other => throw section.Error($"is '{other}'; expected Removed, Isolated, MergedWithPrevious, MergedWithNext or Contiguous."),
    };

    static InvalidDataException Unsupported(JsonSection section, string type, string supported) =>
        section.Child("type").Error($"'{type}' is not implemented by ModelDsl's tokenizer (supported: {supported}).");
}
