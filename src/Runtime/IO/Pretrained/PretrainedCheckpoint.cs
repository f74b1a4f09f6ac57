using ModelDsl.Models;

namespace ModelDsl.IO;

/// <summary>
/// Hugging Face checkpoint directories (<c>config.json</c> + <c>model.safetensors</c> or a sharded index) for the
/// runtime's model families. Extension methods, so the models stay free of file formats.
/// </summary>
public static class PretrainedCheckpoint
{
    /// <summary>
    /// Loads weights saved by Hugging Face (<c>save_pretrained</c> or hub files) or by <see cref="SavePretrained(Gpt2LMHeadModel, string)"/>:
    /// <c>config.json</c> must describe this model's sizes, and the safetensors files must hold exactly its weights.
    /// Hub-style keys without the <c>transformer.</c> prefix and the stored attention-mask buffers are accepted.
    /// </summary>
    /// <exception cref="System.NotSupportedException">The directory holds only PyTorch pickle weights (<c>pytorch_model.bin</c>, <c>*.pt</c>): they are never loaded.</exception>
    public static void LoadPretrained(this Gpt2LMHeadModel model, string directory)
    {
        directory = SavedDirectory.Resolve(directory);
        WeightFiles.RefusePickleOnly(directory);
        var fileConfig = Gpt2Config.Load(PretrainedWeights.ConfigPath(directory));
        PretrainedWeights.RequireSameConfig(directory, model.Config.DifferencesFrom(fileConfig));
        PretrainedWeights.Load(model, directory, model.CheckpointKeys);
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> as Hugging Face's <c>save_pretrained</c> does (tied head
    /// omitted): exactly the model's own keys, so after a LoRA merge the merged weights are saved and the adapter
    /// tensors are not. Saving over an existing directory swaps a complete new copy in; other files there are kept.
    /// </summary>
    public static void SavePretrained(this Gpt2LMHeadModel model, string directory) =>
        PretrainedWeights.Save(model, directory, model.Config.ToJson());

    /// <summary>
    /// Loads weights saved by Hugging Face or by <see cref="SavePretrained(LlamaForCausalLM, string)"/>: <c>config.json</c> must
    /// describe this model's sizes and the safetensors files must hold exactly its weights (legacy <c>rotary_emb.inv_freq</c> buffers are skipped).
    /// </summary>
    /// <exception cref="System.NotSupportedException">The directory holds only PyTorch pickle weights (<c>pytorch_model.bin</c>, <c>*.pt</c>): they are never loaded.</exception>
    public static void LoadPretrained(this LlamaForCausalLM model, string directory)
    {
        directory = SavedDirectory.Resolve(directory);
        WeightFiles.RefusePickleOnly(directory);
        var fileConfig = LlamaConfig.Load(PretrainedWeights.ConfigPath(directory));
        PretrainedWeights.RequireSameConfig(directory, model.Config.DifferencesFrom(fileConfig));
        PretrainedWeights.Load(model, directory, model.CheckpointKeys);
    }

    /// <summary>
    /// Writes <c>config.json</c> and <c>model.safetensors</c> as Hugging Face's <c>save_pretrained</c> does: exactly the
    /// model's own keys (a merged LoRA's weights, never its adapter tensors), swapped in as a complete directory.
    /// </summary>
    public static void SavePretrained(this LlamaForCausalLM model, string directory) =>
        PretrainedWeights.Save(model, directory, model.Config.ToJson());
}
