using System;
using System.Linq;
using ModelDsl.Models;
using ModelDsl.Tests.Foundation;
using ModelDsl.Tests.Peft;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>
/// <c>to(…)</c> moves every weight, keeps tied weights tied, and leaves the outputs as they were. The moves go to
/// float64 (the same module walk as a device move), so they run on a machine without a GPU.
/// </summary>
public sealed class ModelMoveTests
{
    [Fact]
    public void A_gpt2_moved_to_float64_keeps_its_tied_head_and_its_outputs()
    {
        using var model = TinyModels.NewGpt2(seed: 3);
        using var ids = TinyModels.Ids(TinyModels.Gpt2.Vocab, 2, 8, seed: 4);
        using var before = Logits(model, ids);
        var names = model.state_dict().Keys.ToArray();

        model.to(ScalarType.Float64);

        Assert.Same(model.transformer.wte.weight, model.lm_head.weight);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(names, model.state_dict().Keys.ToArray());
        using var after = Logits(model, ids);
        Assert.Equal(ScalarType.Float64, after.dtype);
        Assert.True(TensorCompare.MaxAbsDifference(before, after.to_type(ScalarType.Float32)) < 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_llama_moved_to_float64_keeps_its_outputs(bool tied)
    {
        using var model = TinyModels.NewLlama(seed: 5, TinyModels.Llama with { TieEmbeddings = tied });
        using var ids = TinyModels.Ids(TinyModels.Llama.Vocab, 2, 8, seed: 6);
        using var before = Logits(model, ids);

        model.to(ScalarType.Float64);

        if (tied) Assert.Same(model.model.embed_tokens.weight, model.lm_head.weight);
        using var after = Logits(model, ids);
        Assert.True(TensorCompare.MaxAbsDifference(before, after.to_type(ScalarType.Float32)) < 1e-5);
    }

    [Fact]
    public void A_declared_model_moves_with_its_tie()
    {
        manual_seed(7);
        using var model = new TinyDeclaredGpt();
        model.eval();
        using var ids = TinyModels.Ids(TinyDeclaredGpt.Vocab, 1, 8, seed: 8);
        using var before = NoGrad(() => model.Forward(ids));

        model.to(ScalarType.Float64);

        Assert.Same(model.Wte.weight, model.LmHead.weight);
        using var after = NoGrad(() => model.Forward(ids));
        Assert.True(TensorCompare.MaxAbsDifference(before, after.to_type(ScalarType.Float32)) < 1e-5);
    }

    [Fact]
    public void A_selective_setup_moved_to_float64_still_trains_exactly_its_selection()
    {
        using var setup = new TinyGpt2LastBlock(new GeneratedTinyGpt2());
        var trainable = setup.CountTrainableParameters();

        setup.to(ScalarType.Float64);

        Assert.Equal(trainable, setup.CountTrainableParameters());
        var registered = setup.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.All(setup.SelectedParameters, s =>
        {
            Assert.Same(registered[s.Path], s.Parameter);
            Assert.Equal(ScalarType.Float64, s.Parameter.dtype);
            Assert.True(s.Parameter.requires_grad);
        });
    }

    static Tensor Logits(ICausalLanguageModel model, Tensor ids) => NoGrad(() => model.Forward(ids, null));

    static Tensor NoGrad(Func<Tensor> run)
    {
        using var _ = no_grad();
        return run();
    }
}
