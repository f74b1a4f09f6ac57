using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Checkpointing;
using ModelDsl.Models;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Checkpointing;

/// <summary>
/// A declared model whose blocks take a second, constant input (a per-feature gate) and use dropout, so the
/// checkpoint's constants path and its random replay both count. It implements the causal-LM contract so the trainer
/// can run it.
/// </summary>
[Model]
public partial class GatedDeclaredGpt : ICausalLanguageModel
{
    public const int Vocab = 40, Dim = 32, Heads = 4, Layers = 2, Context = 32;

    [Embedding(Vocab, Dim)] public partial Embedding Wte { get; }
    [Embedding(Context, Dim)] public partial Embedding Wpe { get; }
    [Repeat(Layers)] public partial ModuleList<GatedDeclaredBlock> H { get; }
    [LayerNorm(Dim)] public partial LayerNorm LnF { get; }
    [Linear(Dim, Vocab, Bias = false)] public partial Linear LmHead { get; }

    public long VocabularySize => Vocab;
    public long ContextLength => Context;
    public long EmbeddingDim => Dim;

    public Tensor EmbedTokens(Tensor ids) => Wte.call(ids);

    public Tensor ForwardEmbeddings(Tensor embeddings, Tensor? attentionMask = null)
    {
        // Causal attention lets right padding (packed data's last row) change nothing before it; left padding would.
        var time = embeddings.shape[1];
        if (attentionMask is not null && attentionMask.narrow(1, 1, time - 1).gt(attentionMask.narrow(1, 0, time - 1)).any().item<bool>())
            throw new NotSupportedException("GatedDeclaredGpt has no padding-aware positions; pad on the right.");
        using var scope = NewDisposeScope();
        var x = embeddings + Wpe.call(arange(embeddings.shape[1], device: embeddings.device));
        var gate = linspace(0.5, 1.5, Dim, device: embeddings.device);
        foreach (var block in H) x = block.call(x, gate);
        return LmHead.call(LnF.call(x)).MoveToOuterDisposeScope();
    }

    public Tensor Forward(Tensor ids, Tensor? attentionMask = null)
    {
        using var embeddings = EmbedTokens(ids);
        return ForwardEmbeddings(embeddings, attentionMask);
    }
}

[Module]
public partial class GatedDeclaredBlock
{
    [LayerNorm(GatedDeclaredGpt.Dim, Name = "ln_1")] public partial LayerNorm Ln1 { get; }
    [CausalSelfAttention(GatedDeclaredGpt.Dim, GatedDeclaredGpt.Heads)] public partial CausalSelfAttention Attn { get; }
    [LayerNorm(GatedDeclaredGpt.Dim, Name = "ln_2")] public partial LayerNorm Ln2 { get; }
    [Mlp(GatedDeclaredGpt.Dim, 2 * GatedDeclaredGpt.Dim)] public partial Mlp Mlp { get; }
    [Dropout(0.3)] public partial Dropout Drop { get; }

    /// <summary>How often <see cref="Forward"/> ran: once per forward, and once more in backward when checkpointed.</summary>
    public int Calls { get; private set; }

    public Tensor Forward(Tensor x, Tensor? gate)
    {
        Calls++;
        x = x + Drop.call(Attn.call(Ln1.call(x)));
        var update = Mlp.call(Ln2.call(x));
        return x + (gate is null ? update : update * gate);
    }
}

[ModelDsl.FineTune<GatedDeclaredGpt>]
[ModelDsl.LoRA(4, Targets = ["attn.c_attn"], Dropout = 0.2)]
public partial class GatedDeclaredLora;

/// <summary>Gradient checkpointing on a declared <c>[Model]</c>: the generated switch over its <c>[Repeat]</c> blocks.</summary>
public sealed class DeclaredModelCheckpointingTests
{
    const double Tolerance = 1e-6;

    static (double Loss, Dictionary<string, Tensor> Gradients) Gradients(GatedDeclaredGpt model, bool checkpointing)
    {
        model.GradientCheckpointing = checkpointing;
        model.train();
        model.zero_grad();
        manual_seed(17);                                                         // same data and dropout masks both ways
        using var scope = NewDisposeScope();
        var ids = randint(0, GatedDeclaredGpt.Vocab, [2, 12]);
        var logits = model.Forward(ids.narrow(1, 0, 11));
        var loss = nn.functional.cross_entropy(logits.reshape(-1, GatedDeclaredGpt.Vocab), ids.narrow(1, 1, 11).reshape(-1));
        loss.backward();
        var gradients = model.named_parameters().ToDictionary(p => p.name,
            p => (p.parameter.grad ?? throw new InvalidOperationException($"{p.name} got no gradient")).clone().DetachFromDisposeScope());
        return (loss.item<float>(), gradients);
    }

    [Fact]
    public void A_declared_model_with_dropout_and_a_constant_block_input_gets_the_same_gradients_with_checkpointing()
    {
        manual_seed(45);
        using var model = new GatedDeclaredGpt();
        Assert.IsAssignableFrom<IGradientCheckpointing>(model);

        var plain = Gradients(model, checkpointing: false);
        Assert.All(model.H, b => Assert.Equal(1, b.Calls));                      // each block ran once
        var checkpointed = Gradients(model, checkpointing: true);
        Assert.All(model.H, b => Assert.True(b.GradientCheckpointing));
        Assert.All(model.H, b => Assert.Equal(3, b.Calls));                      // … and then twice: forward, recomputation

        Assert.Equal(plain.Loss, checkpointed.Loss, Tolerance);
        Assert.Equal(plain.Gradients.Keys.Order(), checkpointed.Gradients.Keys.Order());
        foreach (var (name, gradient) in plain.Gradients)
        {
            var difference = TensorCompare.MaxAbsDifference(gradient, checkpointed.Gradients[name]);
            Assert.True(difference <= Tolerance, $"{name}: gradients differ by {difference}");
            Assert.True(gradient.abs().max().item<float>() > 0, $"{name} got a zero gradient");
        }
    }

    [Fact]
    public void Evaluation_runs_each_declared_block_once_with_checkpointing_on()
    {
        manual_seed(46);
        using var model = new GatedDeclaredGpt { GradientCheckpointing = true };
        using var ids = randint(0, GatedDeclaredGpt.Vocab, [1, 6]);
        model.eval();
        using (var logits = model.Forward(ids)) Assert.True(logits.requires_grad);
        Assert.All(model.H, b => Assert.Equal(1, b.Calls));
        model.train();
        using (no_grad())
        using (var logits = model.Forward(ids)) Assert.False(logits.requires_grad);
        Assert.All(model.H, b => Assert.Equal(2, b.Calls));
    }

    [Fact]
    public void The_trainer_option_turns_it_on_for_a_LoRA_setup_over_a_declared_model_and_trains_as_without_it()
    {
        var train = ToyCorpus.Tokenized(32, seed: 4, maxLength: GatedDeclaredGpt.Context, pack: true);
        IReadOnlyList<double> Run(bool checkpointing, out bool switchedOn, out int blockCalls)
        {
            set_num_threads(1);
            manual_seed(6);
            using var model = new GatedDeclaredGpt();
            using var setup = new GatedDeclaredLora(model);
            using var trainer = new Trainer(setup, new TrainerOptions
            {
                MaxSteps = 3, BatchSize = 4, LearningRate = 1e-2, Seed = 7, GradientCheckpointing = checkpointing,
            }, TextWriter.Null);
            switchedOn = model.GradientCheckpointing && model.H.All(b => b.GradientCheckpointing);
            var losses = trainer.Fit(train).Steps.Select(s => s.Loss).ToList();
            blockCalls = model.H[0].Calls;
            return losses;
        }

        var plain = Run(false, out var offWhenNotAsked, out var plainCalls);
        var checkpointed = Run(true, out var on, out var checkpointedCalls);
        Assert.False(offWhenNotAsked);
        Assert.True(on);
        Assert.Equal(2 * plainCalls, checkpointedCalls);                         // every training forward was replayed
        Assert.Equal(plain.Count, checkpointed.Count);
        for (var i = 0; i < plain.Count; i++) Assert.Equal(plain[i], checkpointed[i], 1e-5);
        Assert.True(plain[^1] < plain[0], "the LoRA setup did not train");
    }
}
