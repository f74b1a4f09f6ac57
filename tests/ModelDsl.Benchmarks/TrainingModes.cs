using System;
using ModelDsl.Models;
using ModelDsl.Peft;

namespace ModelDsl.Benchmarks;

/// <summary>The three fine-tuning methods the suite trains.</summary>
internal enum TrainingMode { Full, Lora, Prompt }

internal static class TrainingModes
{
    public static readonly TrainingMode[] All = [TrainingMode.Full, TrainingMode.Lora, TrainingMode.Prompt];

    /// <summary>The name the Python peer and the results use.</summary>
    public static string Key(this TrainingMode mode) => mode switch
    {
        TrainingMode.Full => "full",
        TrainingMode.Lora => "lora",
        TrainingMode.Prompt => "prompt",
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    public static TrainingMode Parse(string key) => key switch
    {
        "full" => TrainingMode.Full,
        "lora" => TrainingMode.Lora,
        "prompt" => TrainingMode.Prompt,
        _ => throw new ArgumentException($"Unknown training mode '{key}'; use full, lora or prompt.", nameof(key)),
    };

    /// <summary>Wraps <paramref name="model"/> in the setup for <paramref name="mode"/>.</summary>
    public static PeftSetup Wrap(this TrainingMode mode, Gpt2LMHeadModel model) => mode switch
    {
        TrainingMode.Full => new BenchFullSetup(model),
        TrainingMode.Lora => new BenchLoraSetup(model),
        TrainingMode.Prompt => new BenchPromptSetup(model),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
