using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using Microsoft.ML.Tokenizers;
using ModelDsl.Data;
using ModelDsl.Peft;
using ModelDsl.Shared;
using ModelDsl.Shared.Alignment;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using static TorchSharp.torch;

namespace ModelDsl.CommandLine;

/// <summary><c>train --objective dpo|reward</c>: the options, the objective they describe, and how the result is saved.</summary>
internal static class PreferenceTraining
{
    public const string Sft = "sft", Dpo = "dpo", Reward = "reward";

    public static Option<string> Objective() => new Option<string>("--objective")
    {
        Description = "What to train: sft (next-token loss on text, prompt/completion or messages), dpo (direct preference optimisation "
            + "on prompt/chosen/rejected rows) or reward (a reward model with a score head, Bradley–Terry loss on the same rows).",
        DefaultValueFactory = _ => Sft,
    }.AcceptOnlyFromAmong(Sft, Dpo, Reward);

    public static Option<double> Beta() => CommandOptions.Number("--beta", $"DPO's β (how far the policy may move from the reference); default: the target's [Dpo], else {DslDefaults.DpoBeta}.", DslDefaults.DpoBeta, v => PreferenceArguments.Dpo(v, 0, ipo: false) is [], "must be a positive, finite number");

    public static Option<double> LabelSmoothing() => CommandOptions.Number("--label-smoothing", "DPO's label smoothing ε, in [0, 0.5); default: the target's [Dpo], else 0.", 0, v => PreferenceArguments.Dpo(DslDefaults.DpoBeta, v, ipo: false) is [], "must lie in [0, 0.5)");

    public static Option<string> Loss() => new Option<string>("--loss") { Description = "DPO's loss: sigmoid (DPO) or ipo; default: the target's [Dpo], else sigmoid.", DefaultValueFactory = _ => "sigmoid" }
        .AcceptOnlyFromAmong("sigmoid", "ipo");

    /// <summary>The module the trainer optimises: the target itself for DPO, a reward model over it for reward modelling.</summary>
    public static nn.Module Trained(string objective, nn.Module target) => objective == Reward ? new RewardModel(target) : target;

    /// <summary>The objective over a preference file, tokenized with the tokenizer's chat template when it has one.</summary>
    public static TrainingObjective Bind(string objective, nn.Module trained, PreferenceDataset data, Tokenizer tokenizer, string tokenizerName,
        int? maxLength, int? eos, long contextLength, DpoOptions dpo)
    {
        var options = new PreferenceTokenizationOptions
        {
            MaxLength = maxLength, EosTokenId = eos,
            ChatTemplate = data.OfType<ChatPreference>().Any() ? ChatTemplateOf(tokenizerName) : null,
        }.WithDefaultMaxLength(contextLength);
        var pairs = data.Tokenize(tokenizer, options);
        return objective == Reward ? new RewardObjective((RewardModel)trained, pairs) : new DpoObjective(trained, pairs, dpo);
    }

    static Chat.ChatTemplate ChatTemplateOf(string tokenizerName)
    {
        var config = Path.Combine(tokenizerName, "tokenizer_config.json");
        if (!File.Exists(config))
            throw new CommandLineException($"The data has conversations, which are rendered with the tokenizer's chat template, and '{config}' does not exist; pass --tokenizer a directory whose tokenizer_config.json has a chat_template.");
        return Chat.ChatTemplate.FromTokenizerConfig(config);
    }

    /// <summary>Saves a reward model (merging a setup's adapters into it first) in the sequence-classification layout.</summary>
    public static string SaveReward(RewardModel model, string outDir)
    {
        if (model.LanguageModel is PeftSetup { Config: not (FullFineTuneConfig or SelectiveConfig) } setup) setup.MergeAndUnload();
        var path = Path.Combine(outDir, "reward_model");
        model.SaveSequenceClassification(path);
        return path;
    }

    /// <summary>
    /// The DPO options of a run: what the target declares with <c>[Dpo]</c> (or the defaults), with each of
    /// <c>--beta</c>, <c>--label-smoothing</c> and <c>--loss</c> that the command line gives put over it.
    /// </summary>
    public static DpoOptions Options(ParseResult result, Option<double> beta, Option<double> labelSmoothing, Option<string> loss, DpoOptions? declared)
    {
        var options = declared ?? new DpoOptions();
        if (CommandOptions.Given(result, beta)) options = options with { Beta = result.GetValue(beta) };
        if (CommandOptions.Given(result, labelSmoothing)) options = options with { LabelSmoothing = result.GetValue(labelSmoothing) };
        if (CommandOptions.Given(result, loss)) options = options with { Loss = result.GetValue(loss) == "ipo" ? PreferenceLoss.Ipo : PreferenceLoss.Sigmoid };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"{e.Message} (--beta, --label-smoothing and --loss go over the target's [Dpo]).");
        }
        return options;
    }
}
