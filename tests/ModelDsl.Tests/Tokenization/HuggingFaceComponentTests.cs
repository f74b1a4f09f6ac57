using System.Collections.Generic;
using System.Linq;
using CsCheck;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;
using static ModelDsl.Tests.Tokenization.SyntheticTokenizerJson;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// The options the fixture models do not use — every normalizer, pre-tokenizer, split behavior, decoder and model
/// option, and the added-token flags — each in a small tokenizer.json, against the Rust library on random text.
/// </summary>
public sealed class HuggingFaceComponentTests
{
    const int Cases = 150;

    const string StripBothEnds = "strip decoder at both ends";

    static readonly (string Content, bool Special, bool LStrip, bool RStrip, bool SingleWord, bool Normalized) Sep = ("<sep>", true, false, false, false, false);

    public static TheoryData<string> Configurations => new(Tokenizers.Keys);

    static readonly Dictionary<string, SyntheticTokenizerJson> Tokenizers = new()
    {
        ["metaspace always, split"] = new()
        {
            Unk = "<unk>", Added = [Sep],
            PreTokenizer = Node("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"""),
            Decoder = Node("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"""),
        },
        ["metaspace first, no split"] = new()
        {
            Unk = "<unk>", Added = [Sep],
            PreTokenizer = Node("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}"""),
            Decoder = Node("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"first","split":false}"""),
        },
        ["metaspace never (legacy add_prefix_space false)"] = new()
        {
            Unk = "<unk>",
            PreTokenizer = Node("""{"type":"Metaspace","replacement":"_","add_prefix_space":false,"prepend_scheme":"never"}"""),
            Decoder = Node("""{"type":"Metaspace","replacement":"_","prepend_scheme":"never"}"""),
        },
        ["NFKD, lowercase, strip, regex replace, prepend"] = new()
        {
            Unk = "<unk>",
            Normalizer = Node("""{"type":"Sequence","normalizers":[{"type":"NFKD"},{"type":"Lowercase"},{"type":"Strip","strip_left":true,"strip_right":true},{"type":"Replace","pattern":{"Regex":"\\s+"},"content":" "},{"type":"Prepend","prepend":"▁"}]}"""),
            PreTokenizer = Node("""{"type":"WhitespaceSplit"}"""),
        },
        ["NFC, NFKC, NFD, left strip"] = new()
        {
            Unk = "<unk>",
            Normalizer = Node("""{"type":"Sequence","normalizers":[{"type":"NFC"},{"type":"NFKC"},{"type":"NFD"},{"type":"Strip","strip_left":true,"strip_right":false}]}"""),
            PreTokenizer = Node("""{"type":"Whitespace"}"""),
        },
        ["whitespace, individual digits, byte fallback"] = new()
        {
            ByteFallback = true, Unk = "<unk>",
            PreTokenizer = Node("""{"type":"Sequence","pretokenizers":[{"type":"Whitespace"},{"type":"Digits","individual_digits":true}]}"""),
            Decoder = Node("""{"type":"Sequence","decoders":[{"type":"ByteFallback"},{"type":"Fuse"}]}"""),
        },
        ["every split behavior"] = new()
        {
            Unk = "<unk>",
            PreTokenizer = Node("""{"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":false},{"type":"Split","pattern":{"Regex":"[,.!?]"},"behavior":"MergedWithPrevious","invert":false},{"type":"Split","pattern":{"String":"-"},"behavior":"MergedWithNext","invert":false},{"type":"Split","pattern":{"Regex":"o+"},"behavior":"Contiguous","invert":false},{"type":"Split","pattern":{"String":" "},"behavior":"Removed","invert":false}]}"""),
        },
        ["inverted splits with \\w and \\s"] = new()
        {
            Unk = "<unk>", FuseUnk = true,
            PreTokenizer = Node("""{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":"\\w+|[^\\w\\s]+"},"behavior":"Isolated","invert":true},{"type":"Split","pattern":{"Regex":"[aeiou]"},"behavior":"Removed","invert":true}]}"""),
        },
        ["continuing_subword_prefix, end_of_word_suffix, fused unk, no decoder"] = new()
        {
            Prefix = "##", Suffix = "</w>", Unk = "<unk>", FuseUnk = true,
            PreTokenizer = Node("""{"type":"WhitespaceSplit"}"""),
        },
        ["unfused unk, merges as pairs, ignore_merges"] = new()
        {
            Unk = "<unk>", MergesAsPairs = true, IgnoreMerges = true,
            PreTokenizer = Node("""{"type":"Split","pattern":{"String":" "},"behavior":"MergedWithNext","invert":false}"""),
        },
        ["byte level with prefix space, BOS and EOS template"] = new()
        {
            ByteLevel = true, IgnoreMerges = true, MergesAsPairs = true,
            Added = [("<s>", true, false, false, false, false), ("</s>", true, false, false, false, false)],
            PreTokenizer = Node("""{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}"""),
            PostProcessor = Node("""{"type":"Sequence","processors":[{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true},{"type":"TemplateProcessing","single":[{"SpecialToken":{"id":"<s>","type_id":0}},{"Sequence":{"id":"A","type_id":0}},{"SpecialToken":{"id":"</s>","type_id":0}}],"pair":[{"Sequence":{"id":"A","type_id":0}},{"Sequence":{"id":"B","type_id":1}}],"special_tokens":{"<s>":{"id":"<s>","ids":[256],"tokens":["<s>"]},"</s>":{"id":"</s>","ids":[257],"tokens":["</s>"]}}}]}"""),
            Decoder = Node("""{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}"""),
        },
        ["added-token flags, Llama-2 style pipeline"] = new()
        {
            ByteFallback = true, Unk = "<unk>",
            Added =
            [
                ("<l>", true, true, false, false, false), ("<r>", true, false, true, false, false),
                ("hello", false, false, false, true, true), ("[X]", false, false, false, false, false), ("WORLD", false, true, true, false, true),
            ],
            Normalizer = Node("""{"type":"Sequence","normalizers":[{"type":"Prepend","prepend":"▁"},{"type":"Replace","pattern":{"String":" "},"content":"▁"}]}"""),
            Decoder = Node("""{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"String":"▁"},"content":" "},{"type":"ByteFallback"},{"type":"Fuse"},{"type":"Strip","content":" ","start":1,"stop":0}]}"""),
        },
        // The Rust Strip decoder indexes out of bounds (and aborts the process) when a token would be cut at both ends
        // (an empty text with stop > 0, or a token made only of the stripped character): here the per-token Strip cuts
        // only the start, and the texts begin and end with "x".
        [StripBothEnds] = new()
        {
            Unk = "<unk>",
            PreTokenizer = Node("""{"type":"Metaspace","replacement":"▁","prepend_scheme":"always","split":true}"""),
            Decoder = Node("""{"type":"Sequence","decoders":[{"type":"Strip","content":"▁","start":1,"stop":0},{"type":"Metaspace","replacement":"▁","prepend_scheme":"never","split":true},{"type":"Fuse"},{"type":"Strip","content":" ","start":2,"stop":2}]}"""),
        },
        ["lowercased normalized added tokens, regex replace decoder"] = new()
        {
            Unk = "<unk>",
            Added = [("hello", true, false, false, false, true), ("ab", false, false, false, true, true)],
            Normalizer = Node("""{"type":"Lowercase"}"""),
            PreTokenizer = Node("""{"type":"WhitespaceSplit"}"""),
            Decoder = Node("""{"type":"Sequence","decoders":[{"type":"Replace","pattern":{"Regex":"[aeiou]+"},"content":"*"},{"type":"Fuse"}]}"""),
        },
    };

    static readonly string[] Atoms =
    [
        "a", "e", "o", "t", "h", "l", "n", "d", "g", "k", "w", "r", "A", "E", "H", "L", "W", "O", "R", "D", "1", "2", "3", "9",
        " ", "  ", "\t", "\n", ".", ",", "!", "?", "'", "-", "_", "▁", "é", "e\u0301", "ﬁ", "①", "中", "😀", "İ", "Σ",
        "the", "hello", "HELLO", "world", "WORLD", "token", "ing", "<sep>", "<s>", "</s>", "<l>", "<r>", "[X]", "ab", "<0x41>",
    ];

    static readonly Gen<string> Texts = Gen.Int[0, Atoms.Length - 1].Array[0, 16].Select(indices => string.Concat(indices.Select(i => Atoms[i])));

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Option_encodes_and_decodes_as_the_reference_does(string configuration)
    {
        using var dir = new TempDirectory();
        var path = Tokenizers[configuration].Write(dir.File("tokenizer.json"));
        var ours = HuggingFaceTokenizer.FromFiles(path);
        var reference = ReferenceTokenizer.LoadSmall(path);
        Texts.Sample(text =>
        {
            if (configuration == StripBothEnds) text = "x" + text + "x";
            foreach (var add in new[] { true, false })
                Assert.True(reference.Encode(text, add).SequenceEqual(ours.Encode(text, add)),
                    HuggingFaceReferenceTests.Describe(configuration, text, add, reference, ours));
            var ids = reference.Encode(text, true);
            foreach (var skip in new[] { true, false })
                Assert.Equal(reference.Decode(ids, skip), ours.Decode(ids, skip));
        }, iter: Cases, threads: 1, print: text => System.Text.Json.JsonSerializer.Serialize(text));
    }
}
