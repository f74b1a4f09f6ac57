using System;
using System.IO;
using ModelDsl.Chat;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using ModelDsl.Training.Checkpoints;
using Xunit;

namespace ModelDsl.Tests.Hardening;

/// <summary>
/// Every small JSON or text file the SDK reads whole is size-checked first: a file one byte over its limit is refused
/// with the SDK's error for that file, naming it and the limit, before anything of its size is allocated. The files are
/// sparse, so a test costs no disk.
/// </summary>
public sealed class OversizedFileTests
{
    /// <summary>What each reader is, the file it reads (in a fresh folder) and the limit the test writes one byte past.</summary>
    public static TheoryData<string> Readers() => new()
    {
        "run marker", "shard index", "generation config", "chat template config", "chat template file",
        "vocab.json", "merges.txt", "tokenizer.model",
    };

    [Theory]
    [MemberData(nameof(Readers))]
    public void A_file_one_byte_over_its_limit_is_refused_naming_it_before_it_is_read(string reader)
    {
        using var dir = new TempDirectory();
        var (file, limit, read, expected) = Case(reader, dir);
        using (var stream = File.Create(file)) stream.SetLength(limit + 1);

        Exception? error = null;
        var before = GC.GetAllocatedBytesForCurrentThread();
        try { read(); }
        catch (Exception e) { error = e; }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.NotNull(error);
        Assert.IsType(expected, error);
        Assert.Contains(file, error.Message);
        Assert.Contains($"{limit:N0}-byte limit", error.Message);
        Assert.True(allocated < 1 << 20, $"allocated {allocated:N0} bytes to refuse a {limit + 1:N0}-byte {reader}");
    }

    static (string File, long Limit, Action Read, Type Expected) Case(string reader, TempDirectory dir) => reader switch
    {
        "run marker" => (dir.File(RunMarker.FileName), BoundedFile.JsonConfigBytes, () => RunMarker.Read(dir.Path), typeof(CheckpointException)),
        "shard index" => (dir.File("model.safetensors.index.json"), BoundedFile.JsonConfigBytes,
            () => WeightFiles.Resolve(dir.Path), typeof(ModelConfigException)),
        "generation config" => (dir.File(GenerationConfig.FileName), BoundedFile.JsonConfigBytes,
            () => GenerationConfig.LoadFromDirectory(dir.Path), typeof(ModelConfigException)),
        "chat template config" => (dir.File(Tokenizers.HuggingFaceConfigFile), TokenizerFileLimits.Default.MaxTokenizerConfigBytes,
            () => ChatTemplate.FromTokenizerConfig(dir.File(Tokenizers.HuggingFaceConfigFile)), typeof(InvalidDataException)),
        "chat template file" => (dir.File("chat_template.jinja"), TokenizerFileLimits.Default.MaxTokenizerConfigBytes,
            () => ChatTemplate.FromTokenizerConfig(WriteSmallConfig(dir)), typeof(InvalidDataException)),
        "vocab.json" => (dir.File(Tokenizers.VocabularyFile), BoundedFile.TokenizerBytes,
            () => Tokenizers.FromBpeFiles(dir.File(Tokenizers.VocabularyFile), WriteMerges(dir)), typeof(InvalidDataException)),
        "merges.txt" => (dir.File(Tokenizers.MergesFile), BoundedFile.TokenizerBytes,
            () => Tokenizers.FromBpeFiles(WriteVocabulary(dir), dir.File(Tokenizers.MergesFile)), typeof(InvalidDataException)),
        "tokenizer.model" => (dir.File(Tokenizers.SentencePieceModelFile), BoundedFile.TokenizerBytes,
            () => Tokenizers.FromSentencePiece(dir.File(Tokenizers.SentencePieceModelFile)), typeof(InvalidDataException)),
        _ => throw new ArgumentOutOfRangeException(nameof(reader), reader, null),
    };

    static string WriteSmallConfig(TempDirectory dir)
    {
        var path = dir.File(Tokenizers.HuggingFaceConfigFile);
        File.WriteAllText(path, "{\"chat_template\": \"{{ messages }}\"}");
        return path;
    }

    static string WriteMerges(TempDirectory dir)
    {
        var path = dir.File(Tokenizers.MergesFile);
        File.WriteAllText(path, "#version: 0.2\n");
        return path;
    }

    static string WriteVocabulary(TempDirectory dir)
    {
        var path = dir.File(Tokenizers.VocabularyFile);
        File.WriteAllText(path, "{\"a\": 0}");
        return path;
    }
}
