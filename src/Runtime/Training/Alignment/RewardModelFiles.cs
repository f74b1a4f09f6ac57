using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Peft;

namespace ModelDsl.Training.Alignment;

/// <summary>
/// Reward models on disk in Hugging Face's <c>…ForSequenceClassification</c> layout: <c>config.json</c> (the base's config with
/// <c>architectures</c> set and one label) and <c>model.safetensors</c> holding the trunk's weights and <c>score.weight</c>.
/// </summary>
public static class RewardModelFiles
{
    /// <summary>
    /// Writes the reward model to <paramref name="directory"/> (swapped in as a complete directory). <paramref name="padTokenId"/>
    /// goes into <c>config.json</c>, which Hugging Face needs to find the last token of padded rows.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model sits on a setup whose adapters are not merged (the file would miss them).</exception>
    public static void SaveSequenceClassification(this RewardModel model, string directory, int? padTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (model.LanguageModel is PeftSetup { IsUnloaded: false, Config: not (FullFineTuneConfig or SelectiveConfig) } setup)
            throw new InvalidOperationException(
                $"The reward model's trunk carries {setup.Config.MethodName()} adapters, which a sequence-classification checkpoint does not hold; "
                + "call MergeAndUnload() on the setup first (the reward model keeps working on the merged weights).");
        var config = BaseConfig(model.LanguageModel);
        config["architectures"] = new JsonArray(model.Architecture);
        config["id2label"] = new JsonObject { ["0"] = "LABEL_0" };
        config["label2id"] = new JsonObject { ["LABEL_0"] = 0 };
        if (padTokenId is int pad) config["pad_token_id"] = pad;
        PretrainedWeights.Save(model, directory, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Loads a reward model saved by <see cref="SaveSequenceClassification"/> or by Hugging Face into <paramref name="model"/>:
    /// <c>config.json</c> must name this architecture with one label, and the weights must be exactly the trunk's and <c>score.weight</c>.
    /// </summary>
    /// <exception cref="ModelConfigException">The config names another architecture or another number of labels.</exception>
    public static void LoadSequenceClassification(this RewardModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        directory = SavedDirectory.Resolve(directory);
        WeightFiles.RefusePickleOnly(directory);
        var path = PretrainedWeights.ConfigPath(directory);
        var config = JsonNode.Parse(BoundedFile.ReadAllText(path, BoundedFile.JsonConfigBytes,
            length => new ModelConfigException(BoundedFile.TooLarge(path, length, BoundedFile.JsonConfigBytes, "a config.json") + ".")))?.AsObject()
            ?? throw new ModelConfigException($"'{path}' is not a JSON object.");
        var architectures = config["architectures"] is JsonArray a ? a.Select(n => n?.ToString()).ToArray() : [];
        if (!architectures.Contains(model.Architecture))
            throw new ModelConfigException($"'{path}' describes [{string.Join(", ", architectures)}], not {model.Architecture}; load a checkpoint saved from this kind of reward model.");
        var labels = config["id2label"] is JsonObject id2label ? id2label.Count : 2;   // transformers' default is two labels
        if (labels != 1)
            throw new ModelConfigException($"'{path}' has {labels} labels; a reward model has one (a scalar score).");
        PretrainedWeights.Load(model, directory, Keys);
    }

    // Older GPT-2 exports stored causal-mask buffers and Llama exports rotary frequencies; both are recomputed here.
    static readonly CheckpointKeyMap Keys = new(
        key => key.EndsWith(".attn.bias", StringComparison.Ordinal) || key.EndsWith(".attn.masked_bias", StringComparison.Ordinal)
               || key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) ? null : key,
        new System.Collections.Generic.Dictionary<string, string>());

    static JsonObject BaseConfig(TorchSharp.torch.nn.Module languageModel)
    {
        var inner = languageModel is PeftSetup setup ? setup.BaseModel : languageModel;
        var json = inner switch
        {
            Gpt2LMHeadModel g => g.Config.ToJson(),
            DecoderForCausalLM d => d.BaseConfig.ToJson(),
            _ => "{}",
        };
        return JsonNode.Parse(json)!.AsObject();
    }
}
