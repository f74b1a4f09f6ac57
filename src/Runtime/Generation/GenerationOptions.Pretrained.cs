using System;
using System.IO;
using ModelDsl.IO;

namespace ModelDsl.Generation;

public sealed partial record GenerationOptions
{
    /// <summary>Hugging Face's <c>top_k</c> when a generation config samples without naming one.</summary>
    public const int HuggingFaceDefaultTopK = 50;

    /// <summary>
    /// Defaults from a checkpoint's <c>generation_config.json</c>, as transformers' <c>generate()</c> uses them:
    /// <c>eos_token_id</c> (one or a list) ends generation; <c>do_sample</c> false (or absent) decodes greedily;
    /// <c>do_sample</c> true samples with <c>temperature</c> (1.0 when absent), <c>top_k</c>
    /// (<see cref="HuggingFaceDefaultTopK"/> when absent) and <c>top_p</c> (1.0 when absent); <c>max_new_tokens</c>
    /// replaces <see cref="MaxNewTokens"/>. Everything else comes from <paramref name="baseOptions"/> (the plain defaults
    /// when null).
    /// </summary>
    public static GenerationOptions FromGenerationConfig(GenerationConfig config, GenerationOptions? baseOptions = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = baseOptions ?? new GenerationOptions();
        options = options with
        {
            MaxNewTokens = config.MaxNewTokens ?? options.MaxNewTokens,
            EndOfSequenceTokenIds = config.EosTokenIds.Count > 0 ? config.EosTokenIds : options.EndOfSequenceTokenIds,
        };
        return config.DoSample
            ? options with { Temperature = config.Temperature ?? 1.0, TopK = config.TopK ?? HuggingFaceDefaultTopK, TopP = config.TopP ?? 1.0 }
            : options with { Temperature = 0 };
    }

    /// <summary>
    /// The generation defaults of a checkpoint <paramref name="directory"/>: from its <c>generation_config.json</c>
    /// (<see cref="FromGenerationConfig"/>) when it has one, else the plain defaults.
    /// </summary>
    /// <exception cref="ModelDsl.Models.ModelConfigException">The file asks for decoding ModelDsl does not implement, naming the field.</exception>
    public static GenerationOptions FromPretrained(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"Checkpoint directory '{directory}' does not exist.");
        return GenerationConfig.LoadFromDirectory(directory) is { } config ? FromGenerationConfig(config) : new GenerationOptions();
    }
}
