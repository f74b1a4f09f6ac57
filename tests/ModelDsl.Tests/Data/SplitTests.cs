using System.Linq;
using ModelDsl.Data;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class SplitTests
{
    [Fact]
    public void A_seeded_split_is_disjoint_complete_and_repeatable()
    {
        var data = new Dataset(Enumerable.Range(0, 50).Select(i => new TextExample($"example {i}")));

        var (train, eval) = data.Split(0.2, seed: 3);

        Assert.Equal(10, eval.Count);
        Assert.Equal(40, train.Count);
        Assert.Empty(train.Intersect(eval));
        Assert.Equal(data.OrderBy(e => ((TextExample)e).Text), train.Concat(eval).OrderBy(e => ((TextExample)e).Text));
        Assert.Equal(eval, data.Split(0.2, seed: 3).Eval);
        Assert.NotEqual(eval, data.Split(0.2, seed: 4).Eval);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => data.Split(1.0, seed: 3));
    }
}
