using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using Quickstart;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Checkpointing;

/// <summary>
/// <see cref="DecoderLanguageModel.GradientCheckpointing"/> and <see cref="TrainerOptions.GradientCheckpointing"/>: the
/// user-facing switch over whole models (the block-level function is covered by <see cref="GradientCheckpointTests"/>).
/// </summary>
public sealed class ModelGradientCheckpointingTests
{
    const double Tolerance = 1e-6;

    /// <summary>Counts its calls and passes its input through: a block adapter that shows how often the block ran.</summary>
    sealed class CallCounter() : nn.Module<Tensor, Tensor>(nameof(CallCounter))
    {
        public int Calls { get; private set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return input.alias();
        }
    }

    /// <summary>LoRA with dropout and a non-zero B on <paramref name="layers"/>, so the random replay and A's gradient count.</summary>
    static void AddLora(IEnumerable<LinearBase> layers)
    {
        foreach (var layer in layers)
        {
            var adapter = layer.AddLora("default", new LoraSettings(rank: 4, alpha: 8, dropout: 0.3));
            using (no_grad()) nn.init.normal_(adapter.lora_B.weight, 0, 0.1);
        }
    }

    /// <summary>Every parameter's gradient of the summed next-token loss over a left-padded batch, and the loss.</summary>
    static (double Loss, Dictionary<string, Tensor> Gradients) Gradients(DecoderLanguageModel model, bool checkpointing, long vocab)
    {
        model.GradientCheckpointing = checkpointing;
        model.train();
        model.zero_grad();
        manual_seed(17);                                                         // same data and dropout masks both ways
        using var scope = NewDisposeScope();
        var ids = randint(0, vocab, [2, 10]);
        var mask = ones(2, 10, dtype: ScalarType.Int64);
        mask[0, ..3] = tensor(0L);                                               // left padding in row 0
        var labels = ids.masked_fill(mask.eq(0), TokenizedSequence.Ignore);
        var loss = CausalLmLoss.SumNll(model.Forward(ids, mask), labels);
        loss.backward();
        var gradients = model.named_parameters().Where(p => p.parameter.requires_grad).ToDictionary(p => p.name,
            p => (p.parameter.grad ?? throw new InvalidOperationException($"{p.name} got no gradient")).clone().DetachFromDisposeScope());
        return (loss.item<float>(), gradients);
    }

    static void AssertSameGradients(DecoderLanguageModel model, long vocab, IReadOnlyList<CallCounter> counters)
    {
        var plain = Gradients(model, checkpointing: false, vocab);
        Assert.All(counters, c => Assert.Equal(1, c.Calls));                   // each block ran once
        var checkpointed = Gradients(model, checkpointing: true, vocab);
        Assert.All(counters, c => Assert.Equal(3, c.Calls));                   // … and then twice: forward, recomputation

        Assert.Equal(plain.Loss, checkpointed.Loss, Tolerance);
        Assert.Equal(plain.Gradients.Keys.Order(), checkpointed.Gradients.Keys.Order());
        Assert.Contains(plain.Gradients.Keys, k => k.Contains("lora_A"));
        foreach (var (name, gradient) in plain.Gradients)
        {
            var difference = TensorCompare.MaxAbsDifference(gradient, checkpointed.Gradients[name]);
            Assert.True(difference <= Tolerance, $"{name}: gradients differ by {difference}");
            Assert.True(gradient.abs().max().item<float>() > 0, $"{name} got a zero gradient");
        }
    }

    [Fact]
    public void GPT2_with_LoRA_dropout_gets_the_same_gradients_with_checkpointing()
    {
        manual_seed(41);
        using var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 2, Dim: 32, Heads: 4, Vocab: 60, Context: 16));
        AddLora(model.transformer.h.SelectMany(b => new LinearBase[] { b.attn.c_attn, b.mlp.c_fc }));
        var counters = model.transformer.h.Select(b => (CallCounter)(b.MlpAdapter = new CallCounter())).ToList();
        AssertSameGradients(model, 60, counters);
    }

    [Fact]
    public void A_llama_model_with_grouped_query_attention_gets_the_same_gradients_with_checkpointing()
    {
        manual_seed(42);
        using var model = new LlamaForCausalLM(new LlamaConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 60, Context: 16));
        AddLora(model.model.layers.SelectMany(l => new LinearBase[] { l.self_attn.q_proj, l.self_attn.v_proj, l.mlp.down_proj }));
        var counters = model.model.layers.Select(l => (CallCounter)(l.AttentionAdapter = new CallCounter())).ToList();
        AssertSameGradients(model, 60, counters);
    }

    [Fact]
    public void A_mistral_model_whose_sliding_window_hides_keys_gets_the_same_gradients_with_checkpointing()
    {
        // A window of 4 over 10 tokens: the sliding mask is a fourth constant the recomputation must get back.
        manual_seed(43);
        using var model = new MistralForCausalLM(new MistralConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 60, Context: 16,
            SlidingWindow: 4));
        AddLora(model.model.layers.Select(l => (LinearBase)l.self_attn.k_proj));
        var counters = model.model.layers.Select(l => (CallCounter)(l.MlpAdapter = new CallCounter())).ToList();
        AssertSameGradients(model, 60, counters);
    }

    [Fact]
    public void Evaluation_and_cached_generation_run_each_block_once_with_checkpointing_on()
    {
        manual_seed(44);
        using var model = new Gpt2LMHeadModel(new Gpt2Config(Layers: 1, Dim: 32, Heads: 4, Vocab: 60, Context: 16));
        var counter = new CallCounter();
        model.transformer.h[0].MlpAdapter = counter;
        model.GradientCheckpointing = true;
        using var ids = randint(0, 60, [1, 5]);

        model.eval();
        using (var logits = model.Forward(ids)) Assert.True(logits.requires_grad);   // eval mode still records, plainly
        Assert.Equal(1, counter.Calls);
        model.train();
        using (no_grad())
        using (var logits = model.Forward(ids)) Assert.False(logits.requires_grad);
        Assert.Equal(2, counter.Calls);
        using var cache = model.CreateCache(1, 8);
        using var embeddings = model.EmbedTokens(ids);
        using var cached = model.ForwardEmbeddingsCached(embeddings, null, cache);   // training mode, gradients on
        Assert.Equal(3, counter.Calls);                                          // a cached forward is never checkpointed
        model.GradientCheckpointing = false;
        using var plain = model.Forward(ids);
        Assert.True(TensorCompare.MaxAbsDifference(cached.detach(), plain.detach()) <= Tolerance);
    }

    [Fact]
    public void The_trainer_option_turns_it_on_for_a_setups_base_model_and_trains_as_without_it()
    {
        var train = WorldDocuments();
        IReadOnlyList<double> Run(bool checkpointing, out bool switchedOn)
        {
            set_num_threads(1);
            manual_seed(5);
            using var model = new WorldGpt();
            using var setup = new LoraSetup(model);
            using var trainer = new Trainer(setup, new TrainerOptions
            {
                MaxSteps = 3, BatchSize = 4, LearningRate = 1e-2, Seed = 7, GradientCheckpointing = checkpointing,
            }, TextWriter.Null);
            switchedOn = model.GradientCheckpointing;
            return trainer.Fit(train).Steps.Select(s => s.Loss).ToList();
        }

        var plain = Run(false, out var offWhenNotAsked);
        var checkpointed = Run(true, out var on);
        Assert.False(offWhenNotAsked);
        Assert.True(on);
        Assert.Equal(plain.Count, checkpointed.Count);
        for (var i = 0; i < plain.Count; i++) Assert.Equal(plain[i], checkpointed[i], 1e-5);
        Assert.True(plain[^1] < plain[0], "the LoRA setup did not train");
    }

    [Fact]
    public void The_trainer_option_is_refused_by_name_for_a_model_without_transformer_blocks()
    {
        using var model = TestRuns.Model();
        var error = Assert.Throws<ArgumentException>(() => new Trainer(model, new TrainerOptions { GradientCheckpointing = true }, TextWriter.Null));
        Assert.Contains("TrainerOptions.GradientCheckpointing", error.Message);
        Assert.Contains(nameof(TinyLm), error.Message);
    }

    static TokenizedDataset WorldDocuments()
    {
        var world = new World(seed: 3);
        var tokenizer = WordTokenizer.Build(world.Lexicon());
        return new Dataset(world.Documents(24, seed: 9).Select(d => new TextExample(d))).Tokenize(tokenizer, new TokenizationOptions
        {
            MaxLength = WorldGpt.Context, Pack = true, EosTokenId = WordTokenizer.EndOfText, PadTokenId = WordTokenizer.EndOfText,
        });
    }
}
