using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Tests.IO;
using ModelDsl.Training.Alignment;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

public sealed class RewardModelFileTests
{
    static readonly int[][] Sequences = [[2, 3, 4, 5, 6], [7, 8, 9], [10, 11, 12, 13, 14, 15, 16]];

    // Hugging Face's GPT2ForSequenceClassification state dict for a 2-layer model: the trunk under "transformer" and a
    // bias-free score head; no lm_head.
    static IEnumerable<string> Gpt2ClassifierKeys()
    {
        yield return "transformer.wte.weight";
        yield return "transformer.wpe.weight";
        for (var i = 0; i < 2; i++)
            foreach (var part in new[] { "ln_1", "attn.c_attn", "attn.c_proj", "ln_2", "mlp.c_fc", "mlp.c_proj" })
                foreach (var kind in new[] { "weight", "bias" })
                    yield return $"transformer.h.{i}.{part}.{kind}";
        yield return "transformer.ln_f.weight";
        yield return "transformer.ln_f.bias";
        yield return "score.weight";
    }

    // LlamaForSequenceClassification: the trunk under "model".
    static IEnumerable<string> LlamaClassifierKeys()
    {
        yield return "model.embed_tokens.weight";
        for (var i = 0; i < 2; i++)
        {
            foreach (var part in new[] { "self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj" })
                yield return $"model.layers.{i}.{part}.weight";
            yield return $"model.layers.{i}.input_layernorm.weight";
            yield return $"model.layers.{i}.post_attention_layernorm.weight";
        }
        yield return "model.norm.weight";
        yield return "score.weight";
    }

    [Fact]
    public void A_gpt2_reward_model_saved_and_reloaded_scores_identically_in_the_sequence_classification_layout()
    {
        using var dir = new TempDirectory();
        using var model = new RewardModel(AlignmentModels.Gpt2(seed: 21));
        var before = model.Score(Sequences, padTokenId: 0);
        model.SaveSequenceClassification(dir.Path, padTokenId: 0);

        using var content = SafetensorsFile.Read(Path.Combine(dir.Path, "model.safetensors"));
        Assert.Equal(Gpt2ClassifierKeys().Order(), content.Tensors.Keys.Order());
        Assert.Equal([1L, 32L], content.Tensors["score.weight"].shape);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "config.json")));
        Assert.Equal("GPT2ForSequenceClassification", config.RootElement.GetProperty("architectures")[0].GetString());
        Assert.Single(config.RootElement.GetProperty("id2label").EnumerateObject());
        Assert.Equal(0, config.RootElement.GetProperty("pad_token_id").GetInt32());

        using var reloaded = new RewardModel(AlignmentModels.Gpt2(seed: 22));
        Assert.NotEqual(before, reloaded.Score(Sequences));
        reloaded.LoadSequenceClassification(dir.Path);
        Assert.Equal(before, reloaded.Score(Sequences));
    }

    [Fact]
    public void A_llama_reward_model_round_trips_and_a_causal_lm_checkpoint_is_refused()
    {
        using var dir = new TempDirectory();
        using var model = new RewardModel(AlignmentModels.Llama(seed: 23));
        var before = model.Score(Sequences);
        model.SaveSequenceClassification(dir.Path);
        using (var content = SafetensorsFile.Read(Path.Combine(dir.Path, "model.safetensors")))
            Assert.Equal(LlamaClassifierKeys().Order(), content.Tensors.Keys.Order());

        using var reloaded = new RewardModel(AlignmentModels.Llama(seed: 24));
        reloaded.LoadSequenceClassification(dir.Path);
        Assert.Equal(before, reloaded.Score(Sequences));

        using var lmDir = new TempDirectory();
        AlignmentModels.Llama(seed: 25).SavePretrained(lmDir.Path);
        var error = Assert.Throws<ModelDsl.Models.ModelConfigException>(() => reloaded.LoadSequenceClassification(lmDir.Path));
        Assert.Contains("not LlamaForSequenceClassification", error.Message);
    }

    [Fact]
    public void Rewards_are_read_at_the_last_real_token_whatever_the_padding()
    {
        using var model = new RewardModel(AlignmentModels.Gpt2(seed: 26));
        var alone = Sequences.Select(s => model.Score([s])[0]).ToArray();
        var batched = model.Score(Sequences, padTokenId: 0);   // right-padded to 7
        for (var i = 0; i < Sequences.Length; i++) Assert.Equal(alone[i], batched[i], 1e-5);
        // Left padding with a mask gives the same reward.
        using var ids = tensor(new long[] { 0, 0, 7, 8, 9 }, [1, 5]);
        using var mask = tensor(new long[] { 0, 0, 1, 1, 1 }, [1, 5]);
        using var _ = no_grad();
        model.eval();
        Assert.Equal(alone[1], model.Forward(ids, mask).item<float>(), 1e-5);
    }
}
