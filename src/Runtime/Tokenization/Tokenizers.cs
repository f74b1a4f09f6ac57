using System;
using System.IO;
using Microsoft.ML.Tokenizers;
using ModelDsl.IO;
using ModelDsl.Models;

namespace ModelDsl.Tokenization;

/// <summary>
/// The tokenizers ModelDsl models use, all built from local files or from data a package ships — nothing is
/// ever downloaded.
/// </summary>
public static class Tokenizers
{
    /// <summary>File names <see cref="FromPretrained"/> looks for.</summary>
    public const string SentencePieceModelFile = "tokenizer.model", VocabularyFile = "vocab.json", MergesFile = "merges.txt",
        HuggingFaceTokenizerFile = "tokenizer.json", HuggingFaceConfigFile = "tokenizer_config.json";

    /// <summary>GPT-2's byte-level BPE (50,257 tokens), from the vocabulary shipped in the GPT-2 tokenizer data package.</summary>
    public static Tokenizer Gpt2() => TiktokenTokenizer.CreateForModel("gpt2");

    /// <summary>
    /// A byte-level BPE tokenizer as GPT-2 uses (bytes mapped to printable characters, a space becoming <c>Ġ</c>)
    /// from a Hugging Face <c>vocab.json</c> (token → id) and <c>merges.txt</c> (one merge per line, by priority).
    /// </summary>
    public static Tokenizer FromBpeFiles(string vocabJson, string mergesTxt)
    {
        RequireFile(vocabJson, "the vocab.json of a byte-level BPE tokenizer");
        RequireFile(mergesTxt, "the merges.txt of a byte-level BPE tokenizer");
        using var vocabulary = File.OpenRead(vocabJson);
        using var merges = File.OpenRead(mergesTxt);
        try
        {
            return CodeGenTokenizer.Create(vocabulary, merges, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or System.Text.Json.JsonException)
        {
            throw new InvalidDataException($"Cannot build a BPE tokenizer from '{vocabJson}' and '{mergesTxt}': {e.Message}", e);
        }
    }

    /// <summary>
    /// A Llama SentencePiece (BPE) tokenizer from a <c>tokenizer.model</c> file. Its sequences start with the
    /// beginning-of-sentence token, as Llama expects: <c>EncodeToIds</c> adds it, so encode through
    /// <see cref="TokenizerExtensions.EncodeText"/> / <see cref="TokenizerExtensions.EncodeSequence"/> to add it once per sequence.
    /// </summary>
    public static Tokenizer FromSentencePiece(string tokenizerModelPath)
    {
        RequireFile(tokenizerModelPath, "a SentencePiece tokenizer.model");
        using var model = File.OpenRead(tokenizerModelPath);
        try
        {
            return LlamaTokenizer.Create(model, addBeginOfSentence: true, addEndOfSentence: false);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException
                                   or NotSupportedException or IOException)
        {
            throw new InvalidDataException(
                $"'{tokenizerModelPath}' is not a SentencePiece BPE model that LlamaTokenizer can read: {e.Message}", e);
        }
    }

    /// <summary>
    /// A Hugging Face tokenizer from its <c>tokenizer.json</c> and, when given, <c>tokenizer_config.json</c> (special
    /// tokens, <c>add_bos_token</c>, chat template); encodes and decodes exactly as Hugging Face does.
    /// </summary>
    public static HuggingFaceTokenizer FromHuggingFace(string tokenizerJsonPath, string? tokenizerConfigPath = null) =>
        HuggingFaceTokenizer.FromFiles(tokenizerJsonPath, tokenizerConfigPath);

    /// <summary>
    /// The tokenizer stored in a pretrained <paramref name="directory"/>: <c>tokenizer.json</c> (with
    /// <c>tokenizer_config.json</c> when present) first, else <c>tokenizer.model</c> (SentencePiece), else
    /// <c>vocab.json</c> + <c>merges.txt</c> (byte-level BPE).
    /// </summary>
    public static Tokenizer FromPretrained(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Tokenizer directory '{directory}' does not exist.");
        var huggingFace = Path.Combine(directory, HuggingFaceTokenizerFile);
        if (File.Exists(huggingFace))
        {
            var config = Path.Combine(directory, HuggingFaceConfigFile);
            return FromHuggingFace(huggingFace, File.Exists(config) ? config : null);
        }
        var sentencePiece = Path.Combine(directory, SentencePieceModelFile);
        if (File.Exists(sentencePiece)) return FromSentencePiece(sentencePiece);
        var vocabulary = Path.Combine(directory, VocabularyFile);
        var merges = Path.Combine(directory, MergesFile);
        if (File.Exists(vocabulary) && File.Exists(merges)) return FromBpeFiles(vocabulary, merges);

        var half = File.Exists(vocabulary) ? $" ('{VocabularyFile}' is there but '{MergesFile}' is not)"
                 : File.Exists(merges) ? $" ('{MergesFile}' is there but '{VocabularyFile}' is not)"
                 : File.Exists(Path.Combine(directory, HuggingFaceConfigFile)) ? $" (only '{HuggingFaceConfigFile}', which needs its '{HuggingFaceTokenizerFile}')"
                 : "";
        throw new FileNotFoundException(
            $"No tokenizer in '{directory}'{half}: expected '{HuggingFaceTokenizerFile}' (Hugging Face, with '{HuggingFaceConfigFile}' "
            + $"when present), '{SentencePieceModelFile}' (SentencePiece, as Llama 2) or '{VocabularyFile}' with '{MergesFile}' "
            + "(byte-level BPE, as GPT-2). For GPT-2's own vocabulary use Tokenizers.Gpt2().");
    }

    static void RequireFile(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"'{path}' does not exist; expected {what}.", path);
        // Checked before the tokenizer library reads it whole.
        BoundedFile.RequireAtMost(path, BoundedFile.TokenizerBytes,
            length => new InvalidDataException(BoundedFile.TooLarge(path, length, BoundedFile.TokenizerBytes, what) + "."));
    }
}
