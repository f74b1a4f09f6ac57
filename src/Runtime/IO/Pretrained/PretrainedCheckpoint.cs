using System;
using ModelDsl.Families;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>
/// Hugging Face checkpoint directories (<c>config.json</c> + <c>model.safetensors</c> or a sharded index) for every
/// model family. Extension methods, so the models stay free of file formats.
/// </summary>
public static class PretrainedCheckpoint
{
    /// <summary>
    /// Loads weights saved by Hugging Face (<c>save_pretrained</c> or hub files) or by <see cref="SavePretrained(Gpt2LMHeadModel, string)"/>:
    /// <c>config.json</c> must describe this model's sizes, and the safetensors files must hold exactly its weights.
    /// Hub-style keys without the <c>transformer.</c> prefix and the stored attention-mask buffers are accepted.
    /// </summary>
    /// <exception cref="NotSupportedException">The directory holds only PyTorch pickle weights (<c>pytorch_model.bin</c>, <c>*.pt</c>): they are never loaded.</exception>
    /// <exception cref="InvalidOperationException">The model's block weights are stored quantized by a <c>[Quantize]</c> setup built over it: load before building the setup.</exception>
    public static void LoadPretrained(this Gpt2LMHeadModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Load(model, model.Config, model.CheckpointKeys, directory, FamilyKind.Gpt2);
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> as Hugging Face's <c>save_pretrained</c> does (tied head
    /// omitted): exactly the model's own keys, so after a LoRA merge the merged weights are saved and the adapter
    /// tensors are not. Saving over an existing directory swaps a complete new copy in; other files there are kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model's block weights are stored quantized by a <c>[Quantize]</c> setup (saving bitsandbytes' layout is not implemented): save the float model it was built from, or the one <c>MergeAndUnload()</c> returns.</exception>
    public static void SavePretrained(this Gpt2LMHeadModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        PretrainedWeights.Save(model, directory, model.Config.ToJson());
    }

    /// <summary>
    /// Loads weights saved by Hugging Face or by <see cref="SavePretrained(DecoderForCausalLM, string)"/> into a Llama,
    /// Mistral, Qwen2, Qwen3, Phi-3 or Gemma model: <c>config.json</c> must be of the model's family and describe its
    /// sizes, and the safetensors files must hold exactly its weights (legacy <c>rotary_emb.inv_freq</c> buffers are
    /// skipped; a stored copy of a tied head must equal the embedding).
    /// </summary>
    /// <exception cref="NotSupportedException">The directory holds only PyTorch pickle weights (<c>pytorch_model.bin</c>, <c>*.pt</c>): they are never loaded.</exception>
    /// <exception cref="InvalidOperationException">The model's block weights are stored quantized by a <c>[Quantize]</c> setup built over it: load before building the setup.</exception>
    public static void LoadPretrained(this DecoderForCausalLM model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        Load(model, model.BaseConfig, model.CheckpointKeys, directory, model.Shape.Family);
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> as Hugging Face's <c>save_pretrained</c> does: exactly the
    /// model's own keys (a merged LoRA's weights, never its adapter tensors), swapped in as a complete directory.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model's block weights are stored quantized by a <c>[Quantize]</c> setup (saving bitsandbytes' layout is not implemented): save the float model it was built from, or the one <c>MergeAndUnload()</c> returns.</exception>
    public static void SavePretrained(this DecoderForCausalLM model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        PretrainedWeights.Save(model, directory, model.BaseConfig.ToJson());
    }

    /// <summary>
    /// Builds the model a checkpoint directory's <c>config.json</c> describes (any family, by its <c>model_type</c>) and
    /// loads its weights.
    /// </summary>
    /// <exception cref="ModelConfigException">The config is not one ModelDsl can build; the field is named.</exception>
    public static DecoderLanguageModel FromPretrained(string directory, Device? device = null, ScalarType? dtype = null)
    {
        directory = SavedDirectory.Resolve(directory);
        WeightFiles.RefusePickleOnly(directory);
        var config = ModelConfigJson.Load(PretrainedWeights.ConfigPath(directory));
        var model = config.CreateModel(device, dtype);
        try
        {
            switch (model)
            {
                case Gpt2LMHeadModel gpt2: gpt2.LoadPretrained(directory); break;
                case DecoderForCausalLM decoder: decoder.LoadPretrained(directory); break;
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static void Load(TorchSharp.torch.nn.Module model, ModelConfig config, CheckpointKeyMap keys, string directory, FamilyKind family)
    {
        directory = SavedDirectory.Resolve(directory);
        WeightFiles.RefusePickleOnly(directory);
        using (var file = ConfigJson.Load(PretrainedWeights.ConfigPath(directory)))
        {
            var fileConfig = ModelConfigJson.Read(file, family);
            PretrainedWeights.RequireSameConfig(directory, config.DifferencesFrom(fileConfig));
        }
        PretrainedWeights.Load(model, directory, keys);
    }
}
