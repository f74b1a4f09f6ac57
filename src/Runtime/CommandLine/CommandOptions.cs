using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using Microsoft.ML.Tokenizers;
using ModelDsl.Data;
using ModelDsl.Tokenization;

using ModelDsl.Training;

namespace ModelDsl.CommandLine;

/// <summary>The options the commands share, each with the checks that make a bad value a usage error.</summary>
internal static class CommandOptions
{
    public static Option<string> Target() => new("--target") { Description = "The model or setup to use (see 'list').", Required = true };

    public static Option<string?> Base() => new("--base") { Description = "Hugging Face checkpoint directory of the base model." };

    public static Option<string?> Adapter() => new("--adapter")
    {
        Description = "Adapter directory (PEFT layout) to load into a setup; its rank and alpha may differ from the declared ones.",
    };

    public static Option<string> Tokenizer() => new("--tokenizer")
    {
        Description = "'gpt2' (shipped) or a directory with tokenizer.model or vocab.json + merges.txt.",
        DefaultValueFactory = _ => "gpt2",
    };

    public static Option<string> Data(string description) => new("--data") { Description = description, Required = true };

    public static Option<int> Seed() => new("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 42 };

    /// <summary>An integer option that must be at least <paramref name="minimum"/>.</summary>
    public static Option<int> AtLeast(string name, string description, int minimum, int defaultValue) =>
        WithCheck(new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
            value => value >= minimum, $"must be at least {minimum}");

    /// <summary>A number option that must satisfy <paramref name="valid"/> (a finite number always).</summary>
    public static Option<double> Number(string name, string description, double defaultValue, Func<double, bool> valid, string rule) =>
        WithCheck(new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue },
            value => double.IsFinite(value) && valid(value), rule);

    /// <summary>An optional integer option that must be at least 1 when given.</summary>
    public static Option<int?> PositiveOrUnset(string name, string description) =>
        WithCheck(new Option<int?>(name) { Description = description }, value => value is null or >= 1, "must be at least 1");

    public static Option<int?> MaxLength() => WithCheck(
        new Option<int?>("--max-length") { Description = "Longest example in tokens; longer ones are truncated (default: the model's context)." },
        value => value is null or >= 2, "must be at least 2 (one input and one target)");

    public static Option<string> Eos(string use, string auto = "the tokenizer's, if it names one") => new("--eos")
    {
        Description = $"End-of-sequence token {use}: 'auto' ({auto}), 'none', or a token id.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary><c>--precision fp32|bf16|fp16</c>: the trainer's number format (<see cref="TrainerOptions.Precision"/>).</summary>
    public static Option<string> Precision() => new Option<string>("--precision")
    {
        Description = "Number format of training: fp32, bf16 (bfloat16 compute, float32 master weights and AdamW state) or fp16 " +
                      "(float16 compute with float32 masters and dynamic loss scaling). On CPU bf16 and fp16 are correct but slower.",
        DefaultValueFactory = _ => "fp32",
    }.AcceptOnlyFromAmong("fp32", "bf16", "fp16");

    /// <summary>The <see cref="TrainingPrecision"/> a <c>--precision</c> value names (the option accepts only these three).</summary>
    public static TrainingPrecision ParsePrecision(string value) => value switch
    {
        "fp32" => TrainingPrecision.Float32,
        "bf16" => TrainingPrecision.BFloat16,
        "fp16" => TrainingPrecision.Float16,
        _ => throw new CommandLineException($"--precision '{value}' is not fp32, bf16 or fp16."),
    };

    /// <summary><c>--gradient-checkpointing</c>: <see cref="TrainerOptions.GradientCheckpointing"/>.</summary>
    public static Option<bool> GradientCheckpointing() => new("--gradient-checkpointing")
    {
        Description = "Recompute each transformer block's forward in backward instead of keeping its activations: less memory, about a third more compute.",
    };

    public static Option<bool> Pack() => new("--pack") { Description = "Concatenate examples and cut the stream into full-length sequences." };

    /// <summary>The end-of-sequence ids that <c>--eos</c> asks for with <paramref name="tokenizer"/> (for 'auto', the tokenizer's own).</summary>
    public static IReadOnlyList<int> ResolveEos(string value, Tokenizer tokenizer)
    {
        if (value.Equals("auto", StringComparison.OrdinalIgnoreCase)) return SpecialTokens.Of(tokenizer).EosIds;
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase)) return [];
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return [id];
        throw new CommandLineException($"--eos '{value}' is not 'auto', 'none' or a token id (a non-negative integer).");
    }

    /// <summary>The tokenization the options describe (MaxLength still unset when not given: the model's context applies).</summary>
    public static TokenizationOptions Tokenization(int? maxLength, IReadOnlyList<int> eos, bool pack) =>
        new() { MaxLength = maxLength, EosTokenId = eos.Count > 0 ? eos[0] : null, Pack = pack };

    static Option<T> WithCheck<T>(Option<T> option, Func<T, bool> valid, string rule)
    {
        option.Validators.Add(result =>
        {
            T value;
            try { value = result.GetValueOrDefault<T>(); }
            catch (InvalidOperationException) { return; } // not a number at all: the parser reports that itself
            if (!valid(value)) result.AddError($"{option.Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}: {rule}.");
        });
        return option;
    }

    /// <summary>Whether the user wrote <paramref name="option"/> (rather than it taking its default).</summary>
    public static bool Given<T>(ParseResult result, Option<T> option) => result.GetResult(option) is { Implicit: false };
}
