using System.IO;
using System.Linq;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using Xunit;

namespace ModelDsl.Tests.Tokenization;

public sealed class TokenizersTests
{
    [Fact]
    public void Gpt2_encodes_hello_world_as_gpt2_does()
    {
        var tokenizer = Tokenizers.Gpt2();
        Assert.Equal(new[] { 15496, 995 }, tokenizer.EncodeToIds("Hello world").ToArray());
        Assert.Equal("Hello world", tokenizer.Decode([15496, 995]));
    }

    // A byte-level vocabulary: "Ġ" is how GPT-2's byte mapping spells a space.
    const string Vocab = """
        {"H":0,"e":1,"l":2,"o":3,"Ġ":4,"w":5,"r":6,"d":7,"He":8,"ll":9,"llo":10,"Hello":11,"Ġw":12,"or":13,"Ġwor":14,"ld":15,"Ġworld":16,"<|endoftext|>":17}
        """;
    const string Merges = "#version: 0.2\nH e\nl l\nll o\nHe llo\nĠ w\no r\nĠw or\nl d\nĠwor ld\n";

    internal static void WriteBpeFiles(TempDirectory dir)
    {
        File.WriteAllText(dir.File("vocab.json"), Vocab);
        File.WriteAllText(dir.File("merges.txt"), Merges);
    }

    [Fact]
    public void Bpe_files_apply_the_merges_in_order()
    {
        using var dir = new TempDirectory();
        WriteBpeFiles(dir);
        var tokenizer = Tokenizers.FromBpeFiles(dir.File("vocab.json"), dir.File("merges.txt"));

        Assert.Equal(new[] { 11, 16 }, tokenizer.EncodeToIds("Hello world").ToArray());
        Assert.Equal(new[] { 2, 3, 5 }, tokenizer.EncodeToIds("low").ToArray());   // no merge applies
        Assert.Equal("Hello world", tokenizer.Decode([11, 16]));
    }

    [Fact]
    public void Missing_bpe_file_is_named()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("vocab.json"), Vocab);
        var error = Assert.Throws<FileNotFoundException>(() => Tokenizers.FromBpeFiles(dir.File("vocab.json"), dir.File("merges.txt")));
        Assert.Contains(dir.File("merges.txt"), error.Message);
    }

    internal static byte[] TinySentencePieceModel() => SentencePieceModelBytes.Build(
    [
        ("<unk>", 0, SentencePieceModelBytes.Unknown),
        ("<s>", 0, SentencePieceModelBytes.Control),
        ("</s>", 0, SentencePieceModelBytes.Control),
        // Merged pieces: a higher score merges first.
        ("▁h", -1, SentencePieceModelBytes.Normal),      // 3
        ("▁he", -2, SentencePieceModelBytes.Normal),     // 4
        ("ll", -3, SentencePieceModelBytes.Normal),      // 5
        ("llo", -4, SentencePieceModelBytes.Normal),     // 6
        ("▁hello", -5, SentencePieceModelBytes.Normal),  // 7
        ("▁w", -6, SentencePieceModelBytes.Normal),      // 8
        ("or", -7, SentencePieceModelBytes.Normal),      // 9
        ("▁wor", -8, SentencePieceModelBytes.Normal),    // 10
        ("ld", -9, SentencePieceModelBytes.Normal),      // 11
        ("▁world", -10, SentencePieceModelBytes.Normal), // 12
        // Characters.
        ("▁", -20, SentencePieceModelBytes.Normal),      // 13
        ("h", -21, SentencePieceModelBytes.Normal),      // 14
        ("e", -22, SentencePieceModelBytes.Normal),      // 15
        ("l", -23, SentencePieceModelBytes.Normal),      // 16
        ("o", -24, SentencePieceModelBytes.Normal),      // 17
        ("w", -25, SentencePieceModelBytes.Normal),      // 18
        ("r", -26, SentencePieceModelBytes.Normal),      // 19
        ("d", -27, SentencePieceModelBytes.Normal),      // 20
    ]);

    [Fact]
    public void Sentence_piece_model_encodes_with_bos_and_merges()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), TinySentencePieceModel());
        var tokenizer = Tokenizers.FromSentencePiece(dir.File("tokenizer.model"));

        Assert.Equal(new[] { 1, 7, 12 }, tokenizer.EncodeToIds("hello world").ToArray());
        Assert.Equal(new[] { 1, 13, 16, 17, 18 }, tokenizer.EncodeToIds("low").ToArray());
        Assert.Equal("hello world", tokenizer.Decode([1, 7, 12]));
    }

    [Fact]
    public void Corrupt_sentence_piece_model_is_reported_with_its_path()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), [0x0A, 0xFF, 0xFF, 0xFF]);
        var error = Assert.Throws<InvalidDataException>(() => Tokenizers.FromSentencePiece(dir.File("tokenizer.model")));
        Assert.Contains(dir.File("tokenizer.model"), error.Message);
    }

    [Fact]
    public void From_pretrained_picks_by_the_files_present()
    {
        using var bpe = new TempDirectory();
        WriteBpeFiles(bpe);
        Assert.Equal(new[] { 11, 16 }, Tokenizers.FromPretrained(bpe.Path).EncodeToIds("Hello world").ToArray());

        using var sentencePiece = new TempDirectory();
        File.WriteAllBytes(sentencePiece.File("tokenizer.model"), TinySentencePieceModel());
        Assert.Equal(new[] { 1, 7, 12 }, Tokenizers.FromPretrained(sentencePiece.Path).EncodeToIds("hello world").ToArray());
    }

    [Fact]
    public void From_pretrained_without_tokenizer_files_says_what_it_looked_for()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("vocab.json"), Vocab);
        var error = Assert.Throws<FileNotFoundException>(() => Tokenizers.FromPretrained(dir.Path));
        Assert.Contains(dir.Path, error.Message);
        Assert.Contains("'merges.txt' is not", error.Message);
        Assert.Contains("tokenizer.model", error.Message);

        File.Delete(dir.File("vocab.json"));
        File.WriteAllText(dir.File("tokenizer_config.json"), "{}");
        var onlyConfig = Assert.Throws<FileNotFoundException>(() => Tokenizers.FromPretrained(dir.Path));
        Assert.Contains("only 'tokenizer_config.json'", onlyConfig.Message);
        Assert.Contains("'tokenizer.json'", onlyConfig.Message);
    }

    [Fact]
    public void From_pretrained_prefers_tokenizer_json_with_its_config()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.File("tokenizer.model"), TinySentencePieceModel());
        File.Copy(TokenizerFixtures.TokenizerJson("llama3_2"), dir.File("tokenizer.json"));
        var withoutConfig = Assert.IsType<HuggingFaceTokenizer>(Tokenizers.FromPretrained(dir.Path));
        Assert.Null(withoutConfig.Config);

        File.Copy(TokenizerFixtures.TokenizerConfigJson("llama3_2"), dir.File("tokenizer_config.json"));
        var tokenizer = Assert.IsType<HuggingFaceTokenizer>(Tokenizers.FromPretrained(dir.Path));
        Assert.Equal("<|eot_id|>", tokenizer.Config!.EosToken);
        Assert.Equal(new[] { 128000, 9906, 1917 }, tokenizer.Encode("Hello world", addSpecialTokens: true));   // Llama 3's published ids
    }

    [Fact]
    public void From_hugging_face_reads_the_two_files()
    {
        var tokenizer = Tokenizers.FromHuggingFace(TokenizerFixtures.TokenizerJson("gpt2"), TokenizerFixtures.TokenizerConfigJson("gpt2"));
        Assert.Equal(new[] { 15496, 995 }, tokenizer.EncodeToIds("Hello world"));   // the same ids as GPT-2's tiktoken data
        Assert.Equal(1024, tokenizer.Config!.ModelMaxLength);
        var missing = Assert.Throws<FileNotFoundException>(() => Tokenizers.FromHuggingFace("/nonexistent/tokenizer.json"));
        Assert.Contains("/nonexistent/tokenizer.json", missing.Message);
    }
}
