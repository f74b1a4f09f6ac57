using System;
using System.Collections.Generic;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>What a fine-tuning setup does to its base model; one subtype per method.</summary>
public abstract record PeftConfig
{
    /// <summary>Where the base model came from (PEFT's <c>base_model_name_or_path</c>), written into saved adapters.</summary>
    public string? BaseModelNameOrPath { get; init; }
}

/// <summary>LoRA on the layers the setup attaches with <c>AttachLora</c>.</summary>
/// <param name="Settings">Rank, alpha, dropout, rsLoRA.</param>
/// <param name="TargetModules">The target patterns as declared (PEFT's <c>target_modules</c>), for the saved config.</param>
public sealed record LoraConfig(LoraSettings Settings, IReadOnlyList<string> TargetModules) : PeftConfig;

/// <summary>How a soft prompt's virtual tokens start (PEFT's <c>prompt_tuning_init</c>).</summary>
public enum PromptTuningInit
{
    /// <summary><c>RANDOM</c>: N(0, 1) rows.</summary>
    Random,

    /// <summary><c>TEXT</c>: the embeddings of an init text's tokens, repeated or truncated to fit.</summary>
    Text,

    /// <summary><c>SAMPLE_VOCAB</c>: rows of the vocabulary embedding at random token ids.</summary>
    SampleVocab,
}

/// <summary>Prompt tuning: <paramref name="Tokens"/> virtual tokens prepended to every sequence.</summary>
/// <param name="Tokens">Number of virtual tokens (PEFT's <c>num_virtual_tokens</c>).</param>
/// <param name="Init">How they start.</param>
/// <param name="InitText">The init text for <see cref="PromptTuningInit.Text"/>.</param>
public sealed record PromptTuningConfig(int Tokens, PromptTuningInit Init = PromptTuningInit.Random, string? InitText = null) : PeftConfig
{
    /// <summary>The init text's token ids (required for <see cref="PromptTuningInit.Text"/>; the runtime has no tokenizer here).</summary>
    public IReadOnlyList<long>? InitTextTokenIds { get; init; }

    /// <summary>The base's attention heads, written to a saved config as <c>num_attention_heads</c> (informational).</summary>
    public int? BaseAttentionHeads { get; init; }

    /// <summary>The base's layer count, written to a saved config as <c>num_layers</c> (informational).</summary>
    public int? BaseLayers { get; init; }

    /// <summary>
    /// Where the tokenizer that tokenised <see cref="InitText"/> comes from (PEFT's <c>tokenizer_name_or_path</c>). PEFT
    /// refuses a <c>TEXT</c>-initialised config without one, so a saved adapter names this, else
    /// <see cref="PeftConfig.BaseModelNameOrPath"/>; with neither it is saved as <c>RANDOM</c>-initialised (the init only
    /// matters before training; the saved embeddings are what load).
    /// </summary>
    public string? TokenizerNameOrPath { get; init; }
}

/// <summary>Bottleneck adapters in each block, attached with <c>AttachBottleneck</c>.</summary>
/// <param name="Bottleneck">Inner width of each adapter.</param>
/// <param name="Placement">Houlsby (after attention and MLP) or Pfeiffer (after the MLP).</param>
/// <param name="Activation">Non-linearity between down and up.</param>
public sealed record BottleneckConfig(long Bottleneck, BottleneckPlacement Placement, Activation Activation = Activation.Relu) : PeftConfig;

/// <summary>Selective fine-tuning (e.g. BitFit): a chosen subset of the base's own parameters trains, passed with <c>Train</c>.</summary>
/// <param name="Selection">A short name of the selection, e.g. <c>bitfit</c>, written into saved adapters.</param>
public sealed record SelectiveConfig(string Selection) : PeftConfig;

/// <summary>Full fine-tuning: every parameter of the base trains.</summary>
public sealed record FullFineTuneConfig : PeftConfig;

/// <summary>Which family of method a <see cref="PeftConfig"/> is.</summary>
public static class PeftConfigExtensions
{
    /// <summary>The method's name for messages.</summary>
    public static string MethodName(this PeftConfig config) => config switch
    {
        LoraConfig => "LoRA",
        PromptTuningConfig => "prompt tuning",
        BottleneckConfig => "bottleneck adapters",
        SelectiveConfig s => $"selective fine-tuning ({s.Selection})",
        FullFineTuneConfig => "full fine-tuning",
        _ => throw new ArgumentOutOfRangeException(nameof(config), config.GetType().Name, "Unknown PEFT config type."),
    };
}
