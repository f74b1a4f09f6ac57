using System.Linq;
using ModelDsl.IO.Peft;
using ModelDsl.Layers;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.Foundation;
using ModelDsl.Tests.IO;
using ModelDsl.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Peft;

/// <summary>Setups declared with attributes: the generated constants, the straight-line injection, and the run-time behaviour.</summary>
public class GeneratedSetupTests
{
    [Fact]
    public void Gpt2SmallLoraConstantsArePeftsPublishedCounts()
    {
        Assert.Equal(294_912L, Gpt2SmallLora.TrainableParameterCount);
        Assert.Equal(124_734_720L, Gpt2SmallLora.TotalParameterCount);

        using var setup = new Gpt2SmallLora(new GeneratedGpt2Small(torch.META));
        Assert.Equal(Gpt2SmallLora.TrainableParameterCount, setup.CountTrainableParameters());
        Assert.Equal(Gpt2SmallLora.TotalParameterCount, setup.CountAllParameters());
        Assert.Equal("trainable params: 294,912 || all params: 124,734,720 || trainable%: 0.2364", setup.Summary());
    }

    [Fact]
    public void Gpt2SmallSoftPromptOf20TokensTrains15360()
    {
        Assert.Equal(15_360L, Gpt2SmallPrompt.TrainableParameterCount);
        using var setup = new Gpt2SmallPrompt(new GeneratedGpt2Small(torch.META));
        Assert.Equal(15_360L, setup.CountTrainableParameters());
        Assert.Equal(Gpt2SmallPrompt.TotalParameterCount, setup.CountAllParameters());
    }

    [Fact]
    public void EveryGeneratedConstantMatchesTheRunTimeCount()
    {
        manual_seed(11);
        using var lora = new TinyGpt2Lora(new GeneratedTinyGpt2());
        using var prompt = new TinyGpt2Prompt(new GeneratedTinyGpt2());
        using var adapters = new TinyLlamaAdapters(new GeneratedTinyLlama());
        using var bitFit = new TinyLlamaBitFit(new GeneratedTinyLlama());
        using var lastBlock = new TinyGpt2LastBlock(new GeneratedTinyGpt2());
        using var custom = new CustomModelLora(new TinyDeclaredGpt());

        Assert.Equal((TinyGpt2Lora.TrainableParameterCount, TinyGpt2Lora.TotalParameterCount), (lora.CountTrainableParameters(), lora.CountAllParameters()));
        Assert.Equal((TinyGpt2Prompt.TrainableParameterCount, TinyGpt2Prompt.TotalParameterCount), (prompt.CountTrainableParameters(), prompt.CountAllParameters()));
        Assert.Equal((TinyLlamaAdapters.TrainableParameterCount, TinyLlamaAdapters.TotalParameterCount), (adapters.CountTrainableParameters(), adapters.CountAllParameters()));
        Assert.Equal((TinyLlamaBitFit.TrainableParameterCount, TinyLlamaBitFit.TotalParameterCount), (bitFit.CountTrainableParameters(), bitFit.CountAllParameters()));
        Assert.Equal((TinyGpt2LastBlock.TrainableParameterCount, TinyGpt2LastBlock.TotalParameterCount), (lastBlock.CountTrainableParameters(), lastBlock.CountAllParameters()));
        Assert.Equal((CustomModelLora.TrainableParameterCount, CustomModelLora.TotalParameterCount), (custom.CountTrainableParameters(), custom.CountAllParameters()));
    }

    [Fact]
    public void TextInitialisedPromptStartsAsTheInitTextsEmbeddingsRepeated()
    {
        manual_seed(41);
        var tokenizer = Tokenizers.Gpt2();
        using var model = new Gpt2VocabModel();
        using var setup = new Gpt2TextPrompt(model, tokenizer);

        // PEFT: the init text's ids, repeated to fill the virtual tokens, then truncated.
        var ids = tokenizer.EncodeToIds("Sentiment:").Select(i => (long)i).ToArray();
        var expectedIds = Enumerable.Range(0, 5).Select(i => ids[i % ids.Length]).ToArray();
        using var expected = model.transformer.wte.weight[tensor(expectedIds)];
        var prompt = setup.ActivePrompt!.parameters().Single();
        Assert.True(expected.allclose(prompt, rtol: 0, atol: 0));
    }

    [Fact]
    public void LoraLandsOnExactlyTheDeclaredTargets()
    {
        using var setup = new TinyGpt2Lora(new GeneratedTinyGpt2());
        Assert.Equal(
            ["transformer.h.0.attn.c_attn", "transformer.h.0.mlp.c_proj", "transformer.h.1.attn.c_attn", "transformer.h.1.mlp.c_proj"],
            setup.LoraTargets.Select(t => t.Path).OrderBy(p => p, System.StringComparer.Ordinal));
        Assert.All(setup.TrainableParameters(), p => Assert.True(p.requires_grad));
        Assert.All(setup.Model.parameters().Where(p => !setup.TrainableParameters().Any(t => t.Handle == p.Handle)),
            p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void SelectiveTrainsTheLastBlockAndTheFinalNormOnly()
    {
        using var setup = new TinyGpt2LastBlock(new GeneratedTinyGpt2());
        var names = setup.SelectedParameters.Select(p => p.Path).ToList();
        Assert.Contains("transformer.ln_f.weight", names);
        Assert.Contains("transformer.h.1.attn.c_attn.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("transformer.h.0.", System.StringComparison.Ordinal));
        // ln_f (weight + bias) and one GPT-2 block (12·D² + 13·D), D = 32.
        long d = GeneratedTinyGpt2.Declared.Dim;
        long expected = 2 * d + 12 * d * d + 13 * d;
        Assert.Equal(TinyGpt2LastBlock.TrainableParameterCount, expected);
        Assert.Equal(expected, setup.CountTrainableParameters());
    }

    [Fact]
    public void LoraOnACustomModelTrainsOnlyTheAdapterAndMergesExactly()
    {
        manual_seed(21);
        using var model = new TinyDeclaredGpt();
        using var setup = new CustomModelLora(model);
        var baseWeights = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var ids = randint(0, TinyDeclaredGpt.Vocab, [4, TinyDeclaredGpt.Context]);
        using var optimizer = optim.AdamW(setup.TrainableParameters(), lr: 1e-2);
        for (int step = 0; step < 5; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.call(ids);
            nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, TinyDeclaredGpt.Vocab), ids[.., 1..].reshape(-1)).backward();
            optimizer.step();
        }

        foreach (var (name, before) in baseWeights)
            if (!name.Contains("lora_"))
                Assert.True(before.equal(model.get_parameter(name)!).all().item<bool>(), $"{name} changed");

        model.eval();
        using var unmerged = model.call(ids);
        setup.Merge();
        using var merged = model.call(ids);
        Assert.True(unmerged.allclose(merged, rtol: 0, atol: 1e-5), $"max difference {(unmerged - merged).abs().max().item<float>()}");
    }

    [Fact]
    public void GeneratedSetupAdapterRoundTripsInPeftLayout()
    {
        manual_seed(31);
        using var directory = new TempDirectory();
        using var ids = randint(0, GeneratedTinyGpt2.Declared.Vocab, [2, 8]);
        using var trained = new TinyGpt2Lora(new GeneratedTinyGpt2());
        using (no_grad())
            foreach (var p in trained.TrainableParameters()) p.normal_(0, 0.05);
        trained.SaveAdapter(directory.Path);

        var keys = ModelDsl.IO.SafetensorsFile.Read(System.IO.Path.Combine(directory.Path, "adapter_model.safetensors")).Tensors.Keys.ToList();
        Assert.Contains("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight", keys);

        using var fresh = new TinyGpt2Lora(CopyOf(trained.Model));
        fresh.LoadAdapter(directory.Path);
        trained.eval();
        fresh.eval();
        using var expected = trained.Forward(ids);
        using var actual = fresh.Forward(ids);
        Assert.True(expected.allclose(actual, rtol: 0, atol: 0));
    }

    [Fact]
    public void AConfigFromAnotherSaveIsRefusedInsteadOfPairedWithTheseWeights()
    {
        // Simulates a save cut off between its two files: the weights of one save with the config of another.
        manual_seed(32);
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        using var setup = new TinyGpt2Lora(new GeneratedTinyGpt2());
        setup.SaveAdapter(first.Path);
        var config = System.IO.File.ReadAllText(System.IO.Path.Combine(first.Path, "adapter_config.json"));
        setup.SaveAdapter(second.Path);
        System.IO.File.WriteAllText(System.IO.Path.Combine(second.Path, "adapter_config.json"), config.Replace("\"lora_alpha\": 8", "\"lora_alpha\": 32"));

        var error = Assert.Throws<AdapterFormatException>(() => setup.LoadAdapter(second.Path, "other"));
        Assert.Contains("not the config saved with adapter_model.safetensors", error.Message);
        setup.LoadAdapter(first.Path, "same");   // an intact pair still loads
    }

    static GeneratedTinyGpt2 CopyOf(GeneratedTinyGpt2 source)
    {
        var copy = new GeneratedTinyGpt2();
        using (no_grad())
            foreach (var (name, parameter) in copy.named_parameters())
                parameter.copy_(source.get_parameter(name)!);
        return copy;
    }
}
