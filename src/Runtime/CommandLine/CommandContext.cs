using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.IO.Peft;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tokenization;
using TorchSharp;

namespace ModelDsl.CommandLine;

/// <summary>Resolves what every command needs: the target, the tokenizer, the built module with its adapter.</summary>
internal sealed class CommandContext(IReadOnlyList<CommandTarget> targets, TextWriter output, TextWriter error)
{
    /// <summary>The name a loaded LoRA adapter gets beside the setup's declared one (whose rank it may not share).</summary>
    public const string LoadedAdapterName = "loaded";

    public TextWriter Output { get; } = output;

    /// <summary>Notes for the person at the terminal (standard error, so piped output stays clean).</summary>
    public TextWriter Error { get; } = error;

    public CommandTarget Find(string name) =>
        targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new CommandLineException(
            $"No target named '{name}'. Known targets: {(targets.Count == 0 ? "none (declare a [Gpt2]/[Llama] model or a setup over one)" : string.Join(", ", targets.Select(t => t.Name)))}.");

    // GPT-2's shipped tokenizer is read once per process (it is immutable, so commands can share it).
    static readonly Lazy<Tokenizer> Gpt2 = new(Tokenizers.Gpt2);

    public static Tokenizer LoadTokenizer(string tokenizer) =>
        tokenizer.Equals("gpt2", StringComparison.OrdinalIgnoreCase) ? Gpt2.Value : Tokenizers.FromPretrained(tokenizer);

    /// <summary>
    /// Builds <paramref name="target"/> and, for a setup, loads <paramref name="adapter"/> and makes it active (a LoRA
    /// adapter under its own name, so its rank and alpha may differ from the declared ones). Refuses a tokenizer whose
    /// ids do not all fit the model's vocabulary.
    /// </summary>
    public static torch.nn.Module Build(CommandTarget target, string? baseDirectory, string? adapter, Tokenizer tokenizer, string tokenizerName)
    {
        var module = target.Create(baseDirectory, tokenizer);
        try
        {
            var model = LanguageModel(module, target);
            if (tokenizer.VocabularySize() is { } size && size > model.VocabularySize)
                throw new CommandLineException(
                    $"The tokenizer '{tokenizerName}' has {size:N0} tokens, but '{target.Name}' has a vocabulary of {model.VocabularySize:N0}: its ids would fall outside the model's embedding. "
                    + "Pass --tokenizer with the tokenizer the model was trained with.");
            if (adapter is null) return module;
            if (module is not PeftSetup setup)
                throw new CommandLineException($"--adapter applies to fine-tuning setups; '{target.Name}' is a model (pass its directory with --base).");
            if (setup.Config is LoraConfig)
            {
                setup.LoadAdapter(adapter, LoadedAdapterName);
                setup.UseAdapter(LoadedAdapterName);
            }
            else setup.LoadAdapter(adapter);
            return module;
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The module as a causal language model, or a clear error.</summary>
    public static ICausalLanguageModel LanguageModel(torch.nn.Module module, CommandTarget target) =>
        module as ICausalLanguageModel ?? throw new CommandLineException($"'{target.Name}' is not a causal language model.");
}
