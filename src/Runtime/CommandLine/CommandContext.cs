using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.IO.Peft;
using ModelDsl.Peft;
using ModelDsl.Tokenization;
using TorchSharp;

namespace ModelDsl.CommandLine;

/// <summary>Resolves what every command needs: the target, the tokenizer, the built module with its adapter.</summary>
internal sealed class CommandContext(IReadOnlyList<CommandTarget> targets, TextWriter output)
{
    public TextWriter Output { get; } = output;

    public CommandTarget Find(string name) =>
        targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CommandLineException(
            $"No target named '{name}'. Known targets: {(targets.Count == 0 ? "none (declare a [Gpt2]/[Llama] model or a setup over one)" : string.Join(", ", targets.Select(t => t.Name)))}.");

    public static Tokenizer LoadTokenizer(string tokenizer) =>
        tokenizer.Equals("gpt2", StringComparison.OrdinalIgnoreCase) ? Tokenizers.Gpt2() : Tokenizers.FromPretrained(tokenizer);

    /// <summary>Builds <paramref name="target"/> and, for a setup, loads <paramref name="adapter"/> as its active adapter.</summary>
    public static torch.nn.Module Build(CommandTarget target, string? baseDirectory, string? adapter, Tokenizer tokenizer)
    {
        var module = target.Create(baseDirectory, tokenizer);
        if (adapter is null) return module;
        if (module is not PeftSetup setup)
            throw new CommandLineException($"--adapter applies to fine-tuning setups; '{target.Name}' is a model (pass its directory with --base).");
        setup.LoadAdapter(adapter);
        return module;
    }
}
