using System.IO;
using System.Linq;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

/// <summary>tokenizer_config.json: what it exposes, what transformers does with it, and what is refused.</summary>
public sealed class TokenizerConfigTests
{
    const string TinyTokenizer = """
        {"version":"1.0","truncation":null,"padding":null,
         "added_tokens":[{"id":3,"content":"<s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},
                         {"id":4,"content":"</s>","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],
         "normalizer":null,"pre_tokenizer":null,"decoder":null,
         "post_processor":{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}}],
           "pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],"special_tokens":{"<s>":{"id":"<s>","ids":[3],"tokens":["<s>"]}}},
         "model":{"type":"BPE","dropout":null,"unk_token":null,"continuing_subword_prefix":null,"end_of_word_suffix":null,
                  "fuse_unk":false,"byte_fallback":false,"vocab":{"a":0,"b":1,"ab":2},"merges":["a b"]}}
        """;

    static HuggingFaceTokenizer WithConfig(TempDirectory dir, string config)
    {
        File.WriteAllText(dir.File("tokenizer.json"), TinyTokenizer);
        File.WriteAllText(dir.File("tokenizer_config.json"), config);
        return HuggingFaceTokenizer.FromFiles(dir.File("tokenizer.json"), dir.File("tokenizer_config.json"));
    }

    static string Refused(string config)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<InvalidDataException>(() => WithConfig(dir, config));
        Assert.Contains(dir.File("tokenizer_config.json"), error.Message);
        return error.Message;
    }

    [Fact]
    public void Llama3_config_exposes_its_tokens_template_and_length()
    {
        var config = TokenizerFixtures.Load("llama3_2").Config!;
        Assert.Equal("<|begin_of_text|>", config.BosToken);
        Assert.Equal("<|eot_id|>", config.EosToken);
        Assert.Equal(131072, config.ModelMaxLength);
        Assert.True(config.CleanUpTokenizationSpaces);
        Assert.Contains("<|start_header_id|>", config.ChatTemplate);
        Assert.Equal(256, config.AddedTokensDecoder.Count);
        Assert.Equal("<|eot_id|>", config.AddedTokensDecoder[128009].Content);
    }

    [Fact]
    public void No_limit_sentinel_reads_as_null()
    {
        var config = TokenizerFixtures.Load("gemma").Config!;   // model_max_length: 1e30, transformers' "no limit"
        Assert.Null(config.ModelMaxLength);
        Assert.Null(config.ChatTemplate);
    }

    [Fact]
    public void Chat_templates_as_a_list_are_exposed_by_name()
    {
        using var dir = new TempDirectory();
        var tokenizer = WithConfig(dir, """{"chat_template":[{"name":"default","template":"{{ messages }}"},{"name":"tool_use","template":"{{ tools }}"}]}""");
        Assert.Equal("{{ messages }}", tokenizer.Config!.ChatTemplate);
        Assert.Equal("{{ tools }}", tokenizer.Config.ChatTemplates["tool_use"]);
    }

    [Fact]
    public void Llama_and_Gemma_classes_rebuild_the_post_processor_from_add_bos_and_add_eos()
    {
        using var dir = new TempDirectory();
        // tokenizer.json adds <s>; LlamaTokenizerFast with add_bos_token false and add_eos_token true adds only </s>.
        var rebuilt = WithConfig(dir, """{"tokenizer_class":"LlamaTokenizer","bos_token":"<s>","eos_token":"</s>","add_bos_token":false,"add_eos_token":true}""");
        Assert.Equal(new[] { 2, 4 }, rebuilt.Encode("ab", true));
        Assert.Equal(new[] { 2 }, rebuilt.Encode("ab", false));

        using var other = new TempDirectory();
        // Other classes keep tokenizer.json's post-processor whatever add_bos_token says.
        var kept = WithConfig(other, """{"tokenizer_class":"PreTrainedTokenizerFast","bos_token":"<s>","add_bos_token":false}""");
        Assert.Equal(new[] { 3, 2 }, kept.Encode("ab", true));
    }

    [Fact]
    public void Gemma_class_defaults_to_adding_bos_only()
    {
        using var dir = new TempDirectory();
        var tokenizer = WithConfig(dir, """{"tokenizer_class":"GemmaTokenizer","bos_token":"<s>","eos_token":"</s>"}""");
        Assert.Equal(new[] { 3, 2 }, tokenizer.Encode("ab", true));
    }

    [Fact]
    public void Clean_up_tokenization_spaces_follows_the_config()
    {
        var llama3 = TokenizerFixtures.Load("llama3_2");   // clean_up_tokenization_spaces: true
        var ids = llama3.Encode("Hello , world . I 'm here , are n't you ?", false);
        Assert.Equal("Hello, world. I'm here, aren't you?", llama3.Decode(ids));
        var qwen = TokenizerFixtures.Load("qwen2_5");      // false
        Assert.Equal("Hello , world .", qwen.Decode(qwen.Encode("Hello , world .", false)));
    }

    [Fact]
    public void Fields_that_change_encoding_are_refused_by_name()
    {
        Assert.Contains("'split_special_tokens'", Refused("""{"split_special_tokens":true}"""));
        Assert.Contains("'do_lower_case'", Refused("""{"do_lower_case":true}"""));
        Assert.Contains("'from_slow'", Refused("""{"from_slow":true}"""));
        Assert.Contains("'mystery_option'", Refused("""{"mystery_option":1}"""));
        Assert.Contains("'add_prefix_space'", Refused("""{"tokenizer_class":"LlamaTokenizerFast","add_prefix_space":true}"""));
        Assert.Contains("'add_bos_token'", Refused("""{"tokenizer_class":"GemmaTokenizer"}"""));   // add_bos_token defaults to true
        Assert.Contains("'add_eos_token'", Refused("""{"tokenizer_class":"LlamaTokenizer","bos_token":"<s>","add_eos_token":true}"""));
    }

    [Fact]
    public void Accepted_inert_fields_do_not_change_encoding()
    {
        using var dir = new TempDirectory();
        var tokenizer = WithConfig(dir, """{"split_special_tokens":false,"legacy":true,"model_input_names":["input_ids"],"errors":"replace","padding_side":"left"}""");
        Assert.Equal(new[] { 3, 2 }, tokenizer.Encode("ab", true));
    }

    [Fact]
    public void Special_tokens_that_tokenizer_json_does_not_add_are_refused()
    {
        Assert.Contains("'pad_token'", Refused("""{"pad_token":"<pad>"}"""));
        Assert.Contains("'additional_special_tokens[0]'", Refused("""{"additional_special_tokens":["<extra>"]}"""));
        Assert.Contains("'extra_special_tokens.image_token'", Refused("""{"extra_special_tokens":{"image_token":"<image>"}}"""));
        Assert.Contains("'boi_token'", Refused("""{"boi_token":"<start_of_image>"}"""));
        Assert.Contains("'bos_token'", Refused("""{"bos_token":{"content":"<bos>","lstrip":false,"normalized":false,"rstrip":false,"single_word":false,"special":true}}"""));
    }

    [Fact]
    public void Added_tokens_decoder_must_agree_with_tokenizer_json()
    {
        static string Config(int id, bool special) =>
            "{\"added_tokens_decoder\":{\"" + id + "\":{\"content\":\"<s>\",\"lstrip\":false,\"normalized\":false,\"rstrip\":false,"
            + "\"single_word\":false,\"special\":" + (special ? "true" : "false") + "}}}";
        using var dir = new TempDirectory();
        Assert.NotNull(WithConfig(dir, Config(3, special: true)));
        Assert.Contains("'added_tokens_decoder.3'", Refused(Config(3, special: false)));
        Assert.Contains("'added_tokens_decoder.9'", Refused(Config(9, special: true)));
    }
}
