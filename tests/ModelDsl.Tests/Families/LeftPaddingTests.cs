using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>A left-padded row must give, on its real tokens, the logits of the same sequence alone.</summary>
public sealed class LeftPaddingTests
{
    const int Padding = 3, Real = 6;

    [Fact]
    public void Gpt2_left_padded_row_matches_the_sequence_alone()
    {
        using var model = TinyModels.NewGpt2(seed: 21);
        Check(model, TinyModels.Gpt2.Vocab);
    }

    [Fact]
    public void Llama_left_padded_row_matches_the_sequence_alone()
    {
        using var model = TinyModels.NewLlama(seed: 22);
        Check(model, TinyModels.Llama.Vocab);
    }

    static void Check(ICausalLanguageModel model, long vocab)
    {
        using var scope = NewDisposeScope();
        var sequence = TinyModels.Ids(vocab, batch: 1, time: Real, seed: 4);                         // (1, 6)
        var other = TinyModels.Ids(vocab, batch: 1, time: Padding + Real, seed: 9);                  // (1, 9)
        // Pad ids are arbitrary tokens: the mask alone must keep them out.
        var padded = cat([full(1, Padding, 7L, dtype: ScalarType.Int64), sequence], dim: 1);         // (1, 9)
        var batch = cat([padded, other], dim: 0);                                                   // (2, 9)
        var mask = cat([cat([zeros(1, Padding, dtype: ScalarType.Int64), ones(1, Real, dtype: ScalarType.Int64)], 1),
                        ones(1, Padding + Real, dtype: ScalarType.Int64)], dim: 0);                 // (2, 9)

        var batched = model.Forward(batch, mask);                                                   // (2, 9, V)
        var alone = model.Forward(sequence);                                                        // (1, 6, V)
        var otherAlone = model.Forward(other);                                                      // (1, 9, V)

        var realPart = batched[0, Padding.., ..];                                                   // (6, V)
        Assert.True(batched.isfinite().all().item<bool>(), "padding produced non-finite logits");
        var difference = (realPart - alone[0]).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"left-padded row differs from the sequence alone by {difference}");
        var unpaddedDifference = (batched[1] - otherAlone[0]).abs().max().item<float>();
        Assert.True(unpaddedDifference < 1e-5, $"the unpadded row differs from itself alone by {unpaddedDifference}");

        // Without the mask the padding would be attended and shift positions: the check above is not vacuous.
        var unmasked = model.Forward(padded);
        Assert.True((unmasked[0, Padding.., ..] - alone[0]).abs().max().item<float>() > 1e-3);
    }
}
