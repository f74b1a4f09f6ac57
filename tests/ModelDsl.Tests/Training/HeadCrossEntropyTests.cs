using System;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Peft;
using ModelDsl.Training;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Training;

/// <summary>
/// The chunked cross-entropy through a frozen head, against PyTorch's <c>cross_entropy</c> over the whole logits, and
/// the trainer's next-token loss through it against the logits path.
/// </summary>
public sealed class HeadCrossEntropyTests
{
    const long Ignore = TokenizedSequence.Ignore;

    [Fact]
    public void Chunked_loss_and_input_gradient_match_cross_entropy_over_whole_logits()
    {
        const long rows = 50, width = 6, vocabulary = 131_072;
        Assert.True(HeadCrossEntropy.ChunkRows(vocabulary) < rows / 2, "the test must cover several chunks and a partial last one");
        var generator = new Generator(seed: 11);
        var hidden = randn([rows, width], dtype: ScalarType.Float64, generator: generator);
        var weight = randn([vocabulary, width], dtype: ScalarType.Float64, generator: generator);
        var targets = randint(0, vocabulary, [rows], generator: generator);
        targets[3] = tensor(Ignore);
        targets[rows - 1] = tensor(Ignore);

        var ours = hidden.clone().requires_grad_(true);
        var loss = HeadCrossEntropy.Compute(ours, weight, targets, Ignore);
        loss.mul(2.5).backward();
        var theirs = hidden.clone().requires_grad_(true);
        var reference = nn.functional.cross_entropy(nn.functional.linear(theirs, weight), targets, ignore_index: Ignore, reduction: nn.Reduction.Sum);
        reference.mul(2.5).backward();

        Assert.Equal(reference.item<double>(), loss.item<double>(), 9);
        Assert.True(ours.grad!.allclose(theirs.grad!, rtol: 1e-10, atol: 1e-12), "input gradients differ");
        Assert.Equal(0.0, ours.grad![3].abs().sum().item<double>());
    }

    [Fact]
    public void Without_gradients_it_returns_the_same_loss()
    {
        var generator = new Generator(seed: 12);
        var hidden = randn([40, 5], dtype: ScalarType.Float64, generator: generator);
        var weight = randn([70_000, 5], dtype: ScalarType.Float64, generator: generator);
        var targets = randint(0, 70_000, [40], generator: generator);
        targets[7] = tensor(Ignore);
        using var noGrad = no_grad();
        var reference = nn.functional.cross_entropy(nn.functional.linear(hidden, weight), targets, ignore_index: Ignore, reduction: nn.Reduction.Sum);
        Assert.Equal(reference.item<double>(), HeadCrossEntropy.Compute(hidden, weight, targets, Ignore).item<double>(), 9);
    }

    [Fact]
    public void An_ignored_row_with_non_finite_hidden_states_leaves_loss_and_gradients_finite()
    {
        var generator = new Generator(seed: 13);
        var hidden = randn([6, 4], dtype: ScalarType.Float64, generator: generator);
        hidden[2, 1] = tensor(double.NaN);                  // row 2 is ignored
        hidden = hidden.requires_grad_(true);
        var weight = randn([30, 4], dtype: ScalarType.Float64, generator: generator);
        var loss = HeadCrossEntropy.Compute(hidden, weight, tensor(new long[] { 1, 5, Ignore, 7, 0, 29 }), Ignore);
        loss.backward();

        Assert.True(double.IsFinite(loss.item<double>()));
        Assert.True(hidden.grad!.isfinite().all().item<bool>(), "an ignored row's NaN reached the gradient");
        Assert.Equal(0.0, hidden.grad![2].abs().sum().item<double>());
    }

    [Fact]
    public void A_head_weight_that_trains_is_refused()
    {
        var weight = randn(10, 4).requires_grad_(true);
        var error = Assert.Throws<ArgumentException>(() => HeadCrossEntropy.Compute(randn(3, 4), weight, tensor(new long[] { 1, 2, 3 }), Ignore));
        Assert.Contains("frozen", error.Message);
    }

    [Theory]
    [InlineData("lora")]
    [InlineData("prompt")]
    public void Next_token_loss_through_a_frozen_head_matches_the_logits_path(string method)
    {
        manual_seed(3);
        using var model = new Gpt2LMHeadModel(new Gpt2Config(2, 32, 4, 97, 48));
        using PeftSetup setup = method == "lora" ? new Gpt2LoraSetup(model, new LoraSettings(4, 8)) : new Gpt2PromptSetup(model, 5);
        var data = Data(vocabulary: 97);
        var objective = new NextTokenObjective(setup, data);
        using var batch = Batch.Collate([data[0], data[1], data[2]], data.PadTokenId, device: null);
        Assert.NotNull(((IFrozenHeadScoring)setup).TryHiddenForScoring(batch.InputIds, batch.AttentionMaskIfPadded));

        var fused = objective.Loss([0, 1, 2], device: null).Sum;
        fused.backward();
        var fusedGradients = Trainable(setup).Select(p => p.grad!.clone()).ToList();
        foreach (var p in Trainable(setup)) p.grad!.zero_();
        var plain = CausalLmLoss.SumNll(setup.Forward(batch.InputIds, batch.AttentionMaskIfPadded), batch.Labels);
        plain.backward();

        Assert.Equal(plain.item<float>(), fused.item<float>(), 3);
        foreach (var (p, fusedGradient) in Trainable(setup).Zip(fusedGradients))
            Assert.True(fusedGradient.allclose(p.grad!, rtol: 1e-4, atol: 1e-6), "a trainable parameter's gradient differs");
    }

    [Fact]
    public void A_head_that_trains_takes_the_logits_path()
    {
        using var model = new Gpt2LMHeadModel(new Gpt2Config(2, 32, 4, 97, 48));
        using var ids = randint(0, 97, [2, 6]);
        Assert.Null(((IFrozenHeadScoring)model).TryHiddenForScoring(ids, null));   // a bare model trains its (tied) head
    }

    static System.Collections.Generic.IEnumerable<TorchSharp.Modules.Parameter> Trainable(PeftSetup setup) =>
        setup.parameters().Where(p => p.requires_grad);

    // Three sequences of different lengths (so the batch is padded), the first tokens of each unscored (a prompt).
    static TokenizedDataset Data(int vocabulary)
    {
        var random = new Random(4);
        var sequences = new[] { 9, 12, 7 }.Select(length =>
        {
            var ids = Enumerable.Range(0, length).Select(_ => random.Next(1, vocabulary)).ToArray();
            var labels = ids.Select((id, i) => i < 3 ? TokenizedSequence.Ignore : id).ToArray();
            return new TokenizedSequence(ids, labels);
        });
        return new TokenizedDataset(sequences);
    }
}
