using System.Linq;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class BatchingTests
{
    [Fact]
    public void Collate_right_pads_with_the_pad_id_masks_padding_and_ignores_it_in_the_labels()
    {
        var sequences = new[]
        {
            new TokenizedSequence([5, 6, 7], [TokenizedSequence.Ignore, 6, 7]),
            new TokenizedSequence([8], [8]),
        };
        using var batch = Batch.Collate(sequences, padTokenId: 3);

        Assert.Equal([2L, 3L], batch.InputIds.shape);
        Assert.Equal([5L, 6, 7, 8, 3, 3], batch.InputIds.data<long>().ToArray());
        Assert.Equal([-100L, 6, 7, 8, -100, -100], batch.Labels.data<long>().ToArray());
        Assert.Equal([1L, 1, 1, 1, 0, 0], batch.AttentionMask.data<long>().ToArray());
        Assert.Equal(4, batch.TokenCount);
        Assert.Equal(2, batch.TargetCount); // labels after the first position: 6, 7 (the 1-token row predicts nothing)
    }

    [Fact]
    public void Each_epoch_visits_every_sequence_once_in_a_seeded_order()
    {
        var sampler = new BatchSampler(count: 10, batchSize: 4, seed: 5);
        Assert.Equal(3, sampler.BatchesPerEpoch);
        int[] Epoch(BatchSampler s, int e) => Enumerable.Range(e * 3, 3).SelectMany(b => s.Indices(b)).ToArray();

        var first = Epoch(sampler, 0);
        var second = Epoch(sampler, 1);
        Assert.Equal(Enumerable.Range(0, 10), first.Order());
        Assert.Equal(Enumerable.Range(0, 10), second.Order());
        Assert.NotEqual(first, second);                                      // a new order each epoch
        Assert.Equal(first, Epoch(new BatchSampler(10, 4, seed: 5), 0));     // same seed, same order
        Assert.NotEqual(first, Epoch(new BatchSampler(10, 4, seed: 6), 0));  // another seed, another order
        Assert.Equal(2, sampler.Indices(2).Count);                            // the epoch's short last batch
        Assert.Equal(Enumerable.Range(0, 10), Epoch(new BatchSampler(10, 4, seed: 5, shuffle: false), 0));
    }
}
