using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>Writes a tiny checkpoint directory as Hugging Face's save_pretrained and hub files lay it out.</summary>
internal static class HubCheckpoint
{
    /// <summary>
    /// <c>config.json</c> with the family's fields (and the bookkeeping keys hub files carry) and <c>model.safetensors</c>
    /// with <paramref name="weights"/> (plus <paramref name="extraTensors"/>, e.g. legacy buffers).
    /// </summary>
    public static void Write(string directory, TinyDecoder c, IReadOnlyDictionary<string, Tensor> weights,
        IReadOnlyDictionary<string, object?>? extraFields = null, IEnumerable<KeyValuePair<string, Tensor>>? extraTensors = null)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), ConfigJson(c, extraFields));
        SafetensorsFile.Write(Path.Combine(directory, "model.safetensors"), weights.Concat(extraTensors ?? []),
            new Dictionary<string, string> { ["format"] = "pt" });
    }

    static readonly Dictionary<string, string> Architectures = new()
    {
        ["llama"] = "LlamaForCausalLM", ["mistral"] = "MistralForCausalLM", ["qwen2"] = "Qwen2ForCausalLM",
        ["qwen3"] = "Qwen3ForCausalLM", ["phi3"] = "Phi3ForCausalLM", ["gemma"] = "GemmaForCausalLM",
    };

    /// <summary>The config.json text: what each family's Hugging Face config class writes.</summary>
    public static string ConfigJson(TinyDecoder c, IReadOnlyDictionary<string, object?>? extraFields = null)
    {
        var fields = new Dictionary<string, object?>
        {
            ["architectures"] = new[] { Architectures[c.Family] },
            ["attention_dropout"] = 0.0,
            ["bos_token_id"] = 1,
            ["eos_token_id"] = 2,
            ["hidden_act"] = c.Family == "gemma" ? (c.ExactGelu ? "gelu" : "gelu_pytorch_tanh") : "silu",
            ["hidden_size"] = c.Dim,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = c.Ffn,
            ["max_position_embeddings"] = c.Context,
            ["model_type"] = c.Family,
            ["num_attention_heads"] = c.Heads,
            ["num_hidden_layers"] = c.Layers,
            ["num_key_value_heads"] = c.KvHeads,
            ["rms_norm_eps"] = c.Eps,
            ["rope_theta"] = c.Theta,
            ["tie_word_embeddings"] = c.Tie,
            ["torch_dtype"] = "float32",
            ["transformers_version"] = "4.46.0",
            ["use_cache"] = true,
            ["vocab_size"] = c.Vocab,
        };
        // Qwen3 and Gemma write head_dim; the others write it when it is not hidden_size / num_attention_heads.
        if (c.Family is "qwen3" or "gemma" || c.HeadDim * c.Heads != c.Dim) fields["head_dim"] = c.HeadDim;
        fields["rope_scaling"] = c.Rope switch
        {
            null => null,
            { Type: "linear" } r => new Dictionary<string, object> { ["type"] = "linear", ["factor"] = r.Factor },
            var r => new Dictionary<string, object>
            {
                ["factor"] = r.Value.Factor, ["high_freq_factor"] = r.Value.High, ["low_freq_factor"] = r.Value.Low,
                ["original_max_position_embeddings"] = r.Value.Original, ["rope_type"] = "llama3",
            },
        };
        switch (c.Family)
        {
            case "llama":
                fields["attention_bias"] = false;
                fields["mlp_bias"] = false;
                fields["pretraining_tp"] = 1;
                break;
            case "mistral":
                fields["sliding_window"] = c.Window == 0 ? null : c.Window;
                break;
            case "qwen2" or "qwen3":
                fields["use_sliding_window"] = c.Window > 0;
                fields["sliding_window"] = c.Window > 0 ? c.Window : 4096;
                fields["max_window_layers"] = c.Window > 0 ? c.FirstSlidingLayer : c.Layers;
                if (c.Family == "qwen3") fields["attention_bias"] = false;
                break;
            case "phi3":
                fields["sliding_window"] = c.Window == 0 ? null : c.Window;
                fields["embd_pdrop"] = 0.0;
                fields["resid_pdrop"] = 0.0;
                fields["original_max_position_embeddings"] = c.Context;
                fields["pad_token_id"] = 0;
                break;
            case "gemma":
                fields["attention_bias"] = false;
                fields["pad_token_id"] = 0;
                break;
        }
        foreach (var (key, value) in extraFields ?? new Dictionary<string, object?>()) fields[key] = value;
        return JsonSerializer.Serialize(fields, new JsonSerializerOptions { WriteIndented = true });
    }
}
