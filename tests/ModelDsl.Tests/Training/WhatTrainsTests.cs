using System;
using System.Collections.Generic;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Layers;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.Peft;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// The trainer optimises exactly what a setup's <see cref="PeftSetup.TrainableParameters"/> returns, for every PEFT
/// method: after two steps those parameters, and no others, have changed. (Two steps, because LoRA's A gets no gradient
/// while B is still zero.)
/// </summary>
public sealed class WhatTrainsTests
{
    public static TheoryData<string> Methods() => new() { "lora", "soft prompt", "bottleneck", "bitfit", "selective", "full" };

    [Theory]
    [MemberData(nameof(Methods))]
    public void Training_changes_exactly_the_setups_trainable_parameters(string method)
    {
        manual_seed(3);
        using var setup = Setup(method);
        var declared = setup.TrainableParameters().Select(p => p.Handle).ToHashSet();
        var before = setup.DistinctNamedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().clone());

        using (var trainer = new Trainer(setup, new TrainerOptions { MaxSteps = 2, BatchSize = 2, LearningRate = 1e-2, WeightDecay = 0, Seed = 5 }))
        {
            Assert.Equal(declared, trainer.TrainableParameterNames.Select(name => Parameter(setup, name).Handle).ToHashSet());
            trainer.Fit(Data());
        }

        var changed = setup.DistinctNamedParameters().Where(p => !p.Parameter.detach().eq(before[p.Name]).all().item<bool>())
            .Select(p => p.Parameter.Handle).ToHashSet();
        Assert.NotEmpty(declared);
        Assert.Equal(declared, changed);
        foreach (var tensor in before.Values) tensor.Dispose();
    }

    [Fact]
    public void A_plain_model_trains_its_parameters_that_require_gradients()
    {
        manual_seed(3);
        using var model = new GeneratedTinyGpt2();
        foreach (var (name, parameter) in model.named_parameters())
            if (name.StartsWith("transformer.h.0.", StringComparison.Ordinal)) parameter.requires_grad = false;
        var before = model.DistinctNamedParameters().ToDictionary(p => p.Name, p => p.Parameter.detach().clone());

        using (var trainer = new Trainer(model, new TrainerOptions { MaxSteps = 2, BatchSize = 2, LearningRate = 1e-2, WeightDecay = 0, Seed = 5 }))
            trainer.Fit(Data());

        var changed = model.DistinctNamedParameters().Where(p => !p.Parameter.detach().eq(before[p.Name]).all().item<bool>()).Select(p => p.Name).ToList();
        var expected = model.DistinctNamedParameters().Where(p => p.Parameter.requires_grad).Select(p => p.Name).ToList();
        Assert.DoesNotContain(changed, name => name.StartsWith("transformer.h.0.", StringComparison.Ordinal));
        Assert.Equal(expected, changed);
        foreach (var tensor in before.Values) tensor.Dispose();
    }

    static PeftSetup Setup(string method) => method switch
    {
        "lora" => new TinyGpt2Lora(new GeneratedTinyGpt2()),
        "soft prompt" => new TinyGpt2Prompt(new GeneratedTinyGpt2()),
        "bottleneck" => new TinyLlamaAdapters(new GeneratedTinyLlama()),
        "bitfit" => new ModelDsl.Tests.Quantization.TinyGpt2PlainBitFit(new GeneratedTinyGpt2()),
        "selective" => new TinyGpt2LastBlock(new GeneratedTinyGpt2()),
        "full" => new TinyGpt2Full(new GeneratedTinyGpt2()),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    static TorchSharp.Modules.Parameter Parameter(nn.Module module, string name) =>
        module.named_parameters().First(p => p.name == name).parameter;

    // Eight sequences of in-vocabulary ids (both tiny families have 97 tokens), every position a target.
    static TokenizedDataset Data()
    {
        var random = new Random(11);
        return new TokenizedDataset(Enumerable.Range(0, 8).Select(_ =>
        {
            var ids = Enumerable.Range(0, 12).Select(_ => random.Next(97)).ToArray();
            return new TokenizedSequence(ids, ids);
        }).ToList());
    }
}
