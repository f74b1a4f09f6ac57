using System;
using System.IO;
using System.Text.Json.Nodes;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>Every field, type and option that is not implemented is refused with an error naming it and the file; size bounds hold.</summary>
public sealed class HuggingFaceRefusalTests
{
    // A valid minimal tokenizer.json that each case changes in one place.
    const string Valid = """
        {"version":"1.0","truncation":null,"padding":null,
         "added_tokens":[{"id":3,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
         "normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,
         "model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,
                  "fuse_unk":false,"byte_fallback":false,"ignore_merges":false,"vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}}
        """;

    static string Load(Action<JsonObject> change, TokenizerFileLimits? limits = null)
    {
        using var dir = new TempDirectory();
        var json = JsonNode.Parse(Valid)!.AsObject();
        change(json);
        var path = dir.File("tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());
        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceTokenizer.FromFiles(path, limits: limits));
        Assert.Contains(path, error.Message);
        return error.Message;
    }

    static JsonObject Model(JsonObject root) => root["model"]!.AsObject();

    [Fact]
    public void The_valid_base_file_loads()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), Valid);
        Assert.Equal(new[] { 2, 3 }, HuggingFaceTokenizer.FromFiles(dir.File("tokenizer.json")).Encode("ab<s>", false));
    }

    public static TheoryData<string, string, string> Cases => new()
    {
        { "model.type", """{"type":"Unigram","unk_id":0,"vocab":[["a",0.0]]}""", "Unigram" },
        { "model.type", """{"type":"WordPiece","unk_token":"[UNK]","vocab":{"a":0}}""", "WordPiece" },
        { "model.type", """{"type":"WordLevel","unk_token":"a","vocab":{"a":0}}""", "WordLevel" },
        { "normalizer.type", """{"type":"BertNormalizer","clean_text":true}""", "BertNormalizer" },
        { "normalizer.type", """{"type":"Precompiled","precompiled_charsmap":""}""", "Precompiled" },
        { "normalizer.normalizers[0].type", """{"type":"Sequence","normalizers":[{"type":"StripAccents"}]}""", "StripAccents" },
        { "normalizer.normalizers[0]", """{"type":"Sequence","normalizers":[null]}""", "null" },
        { "normalizer.left", """{"type":"Strip","strip_left":true,"strip_right":false,"left":1}""", "not implemented" },
        { "pre_tokenizer.type", """{"type":"UnicodeScripts"}""", "UnicodeScripts" },
        { "pre_tokenizer.type", """{"type":"BertPreTokenizer"}""", "BertPreTokenizer" },
        { "pre_tokenizer.behavior", """{"type":"Split","pattern":{"String":"x"},"behavior":"Shuffled","invert":false}""", "Shuffled" },
        { "pre_tokenizer.pattern.Regex", """{"type":"Split","pattern":{"Regex":"^a"},"behavior":"Isolated","invert":false}""", "anchor" },
        { "pre_tokenizer.pattern.Regex", """{"type":"Split","pattern":{"Regex":"[a[b]]"},"behavior":"Isolated","invert":false}""", "nested character class" },
        { "pre_tokenizer.pattern.Regex", """{"type":"Split","pattern":{"Regex":"(?m:a.)"},"behavior":"Isolated","invert":false}""", "inline option" },
        { "pre_tokenizer.pattern.Regex", """{"type":"Split","pattern":{"Regex":"\\bword"},"behavior":"Isolated","invert":false}""", "word boundary" },
        { "pre_tokenizer.pattern.Regex", """{"type":"Split","pattern":{"Regex":"\\p{Han}+"},"behavior":"Isolated","invert":false}""", "not supported" },
        { "pre_tokenizer.pattern.String", """{"type":"Split","pattern":{"String":""},"behavior":"Isolated","invert":false}""", "empty pattern" },
        { "pre_tokenizer.add_prefix_space", """{"type":"Metaspace","replacement":"▁","add_prefix_space":false,"prepend_scheme":"always"}""", "never" },
        { "pre_tokenizer.prepend_scheme", """{"type":"Metaspace","replacement":"▁","prepend_scheme":"sometimes"}""", "sometimes" },
        { "decoder.type", """{"type":"WordPiece","prefix":"##","cleanup":true}""", "WordPiece" },
        { "decoder.type", """{"type":"CTC"}""", "CTC" },
        { "decoder.type", """{"type":"BPEDecoder","suffix":"</w>"}""", "BPEDecoder" },
        { "post_processor.type", """{"type":"RobertaProcessing","sep":["</s>",2],"cls":["<s>",0]}""", "RobertaProcessing" },
        { "post_processor.type", """{"type":"BertProcessing","sep":["[SEP]",1],"cls":["[CLS]",0]}""", "BertProcessing" },
        { "post_processor.single[0].SpecialToken", """{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<x>","type_id":0}}],"pair":[],"special_tokens":{}}""", "<x>" },
        { "post_processor.single[0].Sequence", """{"type":"TemplateProcessing","single":[{"Sequence":{"id":"B","type_id":0}}],"pair":[],"special_tokens":{}}""", "'B'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Unimplemented_component_is_refused_by_name(string field, string json, string mention)
    {
        var section = field.Split('.')[0];
        var message = Load(root =>
        {
            if (section == "model") root["model"] = JsonNode.Parse(json);
            else root[section] = JsonNode.Parse(json);
        });
        Assert.Contains($"'{field}'", message);
        Assert.Contains(mention, message);
    }

    [Fact]
    public void Dropout_is_refused() => Assert.Contains("'model.dropout'", Load(r => Model(r)["dropout"] = 0.1));

    [Fact]
    public void Zero_dropout_is_the_same_as_none()
    {
        using var dir = new TempDirectory();
        var json = JsonNode.Parse(Valid)!.AsObject();
        Model(json)["dropout"] = 0.0;
        File.WriteAllText(dir.File("tokenizer.json"), json.ToJsonString());
        Assert.Equal(new[] { 2 }, HuggingFaceTokenizer.FromFiles(dir.File("tokenizer.json")).Encode("ab", false));
    }

    [Fact]
    public void Truncation_and_padding_are_refused()
    {
        Assert.Contains("'truncation'", Load(r => r["truncation"] = JsonNode.Parse("""{"max_length":8,"strategy":"LongestFirst","stride":0,"direction":"Right"}""")));
        Assert.Contains("'padding'", Load(r => r["padding"] = JsonNode.Parse("""{"strategy":"BatchLongest","pad_id":0}""")));
    }

    [Fact]
    public void Unknown_fields_are_refused()
    {
        Assert.Contains("'extra'", Load(r => r["extra"] = 1));
        Assert.Contains("'model.vocab_size'", Load(r => Model(r)["vocab_size"] = 3));
        Assert.Contains("'added_tokens[0].weight'", Load(r => r["added_tokens"]![0]!["weight"] = 1));
        Assert.Contains("'version'", Load(r => r["version"] = "2.0"));
    }

    [Fact]
    public void Inconsistent_model_data_is_refused()
    {
        Assert.Contains("'model.merges[0]'", Load(r => Model(r)["merges"] = new JsonArray("a c")));
        Assert.Contains("'model.merges[0]'", Load(r => Model(r)["merges"] = new JsonArray("a b c")));
        Assert.Contains("gives id 0 to both", Load(r => Model(r)["vocab"]!["c"] = 0));
        Assert.Contains("'model.unk_token'", Load(r => Model(r)["unk_token"] = "<unk>"));
        Assert.Contains("'added_tokens[0].id'", Load(r => r["added_tokens"]![0]!["id"] = 7));
        Assert.Contains("'added_tokens[1].content'", Load(r => r["added_tokens"]!.AsArray().Add(r["added_tokens"]![0]!.DeepClone())));
    }

    [Fact]
    public void Size_limits_are_checked_before_reading()
    {
        var small = new TokenizerFileLimits { MaxTokenizerJsonBytes = 100 };
        Assert.Contains("MaxTokenizerJsonBytes", Load(_ => { }, small));
        Assert.Contains("MaxVocabularySize", Load(_ => { }, new TokenizerFileLimits { MaxVocabularySize = 2 }));
        Assert.Contains("MaxMerges", Load(_ => { }, new TokenizerFileLimits { MaxMerges = 0 }));
        Assert.Contains("'added_tokens'", Load(_ => { }, new TokenizerFileLimits { MaxAddedTokens = 0 }));
        Assert.Contains("MaxTokenId", Load(r => Model(r)["vocab"]!["c"] = 100, new TokenizerFileLimits { MaxTokenId = 10 }));
        Assert.Contains("MaxTokenLength", Load(r => Model(r)["vocab"]![new string('x', 20)] = 3, new TokenizerFileLimits { MaxTokenLength = 10 }));
        Assert.Contains("MaxPatternLength", Load(r => r["pre_tokenizer"] = JsonNode.Parse("""{"type":"Split","pattern":{"Regex":"aaaaaaaaaaaa"},"behavior":"Isolated","invert":false}"""),
            new TokenizerFileLimits { MaxPatternLength = 5 }));
    }

    [Fact]
    public void A_huge_file_is_refused_without_being_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tokenizer.json");
        using (var file = File.Create(path)) file.SetLength(TokenizerFileLimits.Default.MaxTokenizerJsonBytes + 1);   // sparse: nothing is written
        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceTokenizer.FromFiles(path));
        Assert.Contains("MaxTokenizerJsonBytes", error.Message);
        Assert.Contains("268,435,457 bytes", error.Message);
    }

    [Fact]
    public void Config_size_limit_is_checked()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("tokenizer.json"), Valid);
        File.WriteAllText(dir.File("tokenizer_config.json"), "{\"model_max_length\": 2048}");
        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceTokenizer.FromFiles(dir.File("tokenizer.json"), dir.File("tokenizer_config.json"),
            new TokenizerFileLimits { MaxTokenizerConfigBytes = 10 }));
        Assert.Contains("MaxTokenizerConfigBytes", error.Message);
    }
}
