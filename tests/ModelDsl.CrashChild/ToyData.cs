using System.Linq;
using ModelDsl.Data;

namespace ModelDsl.CrashChild;

/// <summary>A fixed, learnable token stream: each sequence counts up from its start with a stride of 3.</summary>
internal static class ToyData
{
    public const int Vocab = 512;
    public const int Length = 16;

    public static TokenizedDataset Sequences() => new(Enumerable.Range(0, 48).Select(i =>
    {
        var ids = Enumerable.Range(0, Length).Select(t => (i * 11 + t * 3) % Vocab).ToArray();
        return new TokenizedSequence(ids, (int[])ids.Clone());
    }));
}
