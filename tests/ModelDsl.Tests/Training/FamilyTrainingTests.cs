using ModelDsl.Tests.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Models;
using ModelDsl.Tests.Training.Support;
using ModelDsl.Training;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>The trainer over the runtime's real model families, not only the test model.</summary>
public sealed class FamilyTrainingTests(ITestOutputHelper output)
{
    static readonly int Vocab = ToyCorpus.Tokenizer.VocabularySize;

    static nn.Module NewGpt2()
    {
        set_num_threads(1);
        manual_seed(21);
        return new Gpt2LMHeadModel(new Gpt2Config(Layers: 2, Dim: 32, Heads: 4, Vocab: Vocab, Context: 64));
    }

    static nn.Module NewLlama()
    {
        set_num_threads(1);
        manual_seed(21);
        return new LlamaForCausalLM(new LlamaConfig(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 64, Vocab: Vocab, Context: 64));
    }

    [Fact]
    public void Gpt2_trains_its_tied_head_once_and_the_loss_falls()
    {
        using var model = NewGpt2();
        using var trainer = TestRuns.Trainer(model, TestRuns.Options(60) with { BatchSize = 16 });

        // lm_head shares the token embedding: it must be optimised once, under the embedding's name.
        Assert.Contains("transformer.wte.weight", trainer.TrainableParameterNames);
        Assert.DoesNotContain("lm_head.weight", trainer.TrainableParameterNames);
        var result = trainer.Fit(ToyCorpus.Tokenized(200, seed: 22));

        output.WriteLine($"GPT-2 train loss {result.LossHistory[0]:F3} -> {result.LossHistory[^1]:F3}");
        Assert.True(result.LossHistory[^1] < 0.6 * result.LossHistory[0], $"loss {result.LossHistory[0]:F3} -> {result.LossHistory[^1]:F3}");
    }

    [Fact]
    public void Llama_resumes_exactly_like_the_test_model()
    {
        using var dir = new TempDirectory();
        var train = ToyCorpus.Tokenized(40, seed: 23);
        var options = TestRuns.Options(8) with { CheckpointDir = dir.File("a") };
        using var straightModel = NewLlama();
        using var straight = TestRuns.Trainer(straightModel, options);
        var full = straight.Fit(train);

        using var cts = new CancellationTokenSource();
        using var firstModel = NewLlama();
        using var first = TestRuns.Trainer(firstModel, options with { CheckpointDir = dir.File("b") });
        first.StepCompleted += s => { if (s.Step == 4) cts.Cancel(); };
        first.Fit(train, cancellationToken: cts.Token);
        using var secondModel = NewLlama();
        using var second = TestRuns.Trainer(secondModel, options with { CheckpointDir = dir.File("b") });
        second.Resume(dir.File("b"));
        var resumed = second.Fit(train);

        Assert.Equal(full.LossHistory, resumed.LossHistory);
        Assert.True(full.LossHistory[^1] < full.LossHistory[0]);
    }
}
