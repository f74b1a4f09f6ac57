using System.Collections.Generic;
using ModelDsl.Peft;

namespace ModelDsl.IO.Peft;

/// <summary>
/// The fields of an <c>adapter_config.json</c>, named in C# after PEFT's JSON names (<c>r</c> → <see cref="R"/>,
/// <c>lora_alpha</c> → <see cref="LoraAlpha"/>, …). Fields that do not apply to <see cref="PeftType"/> are
/// <see langword="null"/>. The <c>BOTTLENECK_ADAPTER</c>, <c>SELECTIVE</c> and <c>FULL_FINE_TUNE</c> types and their
/// fields are ModelDsl's own (see <c>docs/adapters.md</c>); PEFT does not read them.
/// </summary>
public sealed record PeftAdapterConfig
{
    /// <summary><c>peft_type</c>: <c>LORA</c>, <c>PROMPT_TUNING</c>, or ModelDsl's <c>BOTTLENECK_ADAPTER</c>, <c>SELECTIVE</c>, <c>FULL_FINE_TUNE</c>.</summary>
    public required string PeftType { get; init; }

    /// <summary><c>task_type</c>: <c>CAUSAL_LM</c>.</summary>
    public string? TaskType { get; init; } = "CAUSAL_LM";

    /// <summary><c>base_model_name_or_path</c>.</summary>
    public string? BaseModelNameOrPath { get; init; }

    /// <summary><c>inference_mode</c> (PEFT writes <see langword="true"/> on save).</summary>
    public bool InferenceMode { get; init; } = true;

    /// <summary><c>r</c> (LoRA).</summary>
    public int? R { get; init; }

    /// <summary><c>lora_alpha</c> (LoRA).</summary>
    public double? LoraAlpha { get; init; }

    /// <summary><c>lora_dropout</c> (LoRA).</summary>
    public double? LoraDropout { get; init; }

    /// <summary><c>target_modules</c> (LoRA).</summary>
    public IReadOnlyList<string>? TargetModules { get; init; }

    /// <summary><c>fan_in_fan_out</c>: the targets store weights <c>[in, out]</c> (GPT-2's Conv1D).</summary>
    public bool? FanInFanOut { get; init; }

    /// <summary><c>bias</c>: which biases train with LoRA; only <c>none</c> is supported.</summary>
    public string? Bias { get; init; }

    /// <summary><c>use_rslora</c>.</summary>
    public bool? UseRslora { get; init; }

    /// <summary><c>modules_to_save</c>; must be null or empty here.</summary>
    public IReadOnlyList<string>? ModulesToSave { get; init; }

    /// <summary><c>num_virtual_tokens</c> (prompt tuning).</summary>
    public int? NumVirtualTokens { get; init; }

    /// <summary><c>token_dim</c>: embedding width (prompt tuning, bottleneck adapters).</summary>
    public long? TokenDim { get; init; }

    /// <summary><c>num_transformer_submodules</c>: 1 for a decoder-only model.</summary>
    public int? NumTransformerSubmodules { get; init; }

    /// <summary><c>num_attention_heads</c> of the base (prompt tuning; informational).</summary>
    public int? NumAttentionHeads { get; init; }

    /// <summary><c>num_layers</c> of the base (prompt tuning; informational).</summary>
    public int? NumLayers { get; init; }

    /// <summary><c>prompt_tuning_init</c>: <c>RANDOM</c>, <c>TEXT</c> or <c>SAMPLE_VOCAB</c>.</summary>
    public string? PromptTuningInit { get; init; }

    /// <summary><c>prompt_tuning_init_text</c>.</summary>
    public string? PromptTuningInitText { get; init; }

    /// <summary><c>tokenizer_name_or_path</c>: required by PEFT when <see cref="PromptTuningInit"/> is <c>TEXT</c>.</summary>
    public string? TokenizerNameOrPath { get; init; }

    /// <summary><c>bottleneck_dim</c> (ModelDsl's bottleneck adapters).</summary>
    public long? BottleneckDim { get; init; }

    /// <summary><c>adapter_placement</c>: <c>HOULSBY</c> or <c>PFEIFFER</c>.</summary>
    public string? AdapterPlacement { get; init; }

    /// <summary><c>adapter_activation</c>: <c>relu</c>, <c>gelu</c>, <c>gelu_tanh</c> or <c>silu</c>.</summary>
    public string? AdapterActivation { get; init; }

    /// <summary><c>selection</c>: the name of a selective setup's subset, e.g. <c>bitfit</c>.</summary>
    public string? Selection { get; init; }
}
