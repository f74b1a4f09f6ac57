using System;
using Microsoft.ML.Tokenizers;
using ModelDsl.Training.Alignment;
using TorchSharp;

namespace ModelDsl.CommandLine;

/// <summary>
/// A model or fine-tuning setup the command line can train, evaluate and generate with. Generated entry points list
/// every <c>[Gpt2]</c>/<c>[Llama]</c> model and every setup over one by straight-line code.
/// </summary>
/// <param name="Name">What <c>--target</c> selects (the class name).</param>
/// <param name="Description">One line for <c>list</c>.</param>
/// <param name="IsSetup">A PEFT setup (saves an adapter) rather than a model (saves a checkpoint directory).</param>
/// <param name="Create">Builds it: from the base checkpoint directory (or <see langword="null"/>), with the tokenizer for text-initialised prompts.</param>
public sealed record CommandTarget(string Name, string Description, bool IsSetup, Func<string?, Tokenizer, torch.nn.Module> Create)
{
    /// <summary>
    /// The DPO hyper-parameters the setup declares with <c>[Dpo]</c>, or <see langword="null"/>: <c>train --objective dpo</c>
    /// starts from them, and <c>--beta</c>, <c>--label-smoothing</c> and <c>--loss</c> override only what they are given for.
    /// </summary>
    public DpoOptions? Dpo { get; init; }

    /// <summary>The base checkpoint directory a setup needs, or a clear error naming the option.</summary>
    public static string RequireBase(string? directory, string target) =>
        directory ?? throw new CommandLineException(
            $"'{target}' fine-tunes a pretrained model: pass its checkpoint directory with --base <dir> (config.json + model.safetensors).");
}

/// <summary>A mistake on the command line, reported as one line and exit code 2.</summary>
public sealed class CommandLineException(string message) : Exception(message);
