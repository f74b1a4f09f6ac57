using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>Small configurations that build and run in milliseconds.</summary>
internal static class TinyModels
{
    public static readonly Gpt2Config Gpt2 = new(Layers: 2, Dim: 32, Heads: 4, Vocab: 50, Context: 16);

    // GQA: 4 query heads share 2 key/value heads; head width 8 so rotary pairs are exercised.
    public static readonly LlamaConfig Llama = new(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: 50, Context: 16,
        RopeTheta: 500, NormEps: 1e-5);

    public static Gpt2LMHeadModel NewGpt2(long seed, Gpt2Config? config = null)
    {
        manual_seed(seed);
        var model = new Gpt2LMHeadModel(config ?? Gpt2);
        model.eval();
        return model;
    }

    public static LlamaForCausalLM NewLlama(long seed, LlamaConfig? config = null)
    {
        manual_seed(seed);
        var model = new LlamaForCausalLM(config ?? Llama);
        model.eval();
        return model;
    }

    /// <summary>Random ids <c>[batch, time]</c> below <paramref name="vocab"/>.</summary>
    public static Tensor Ids(long vocab, long batch, long time, long seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        return randint(0, vocab, [batch, time], dtype: ScalarType.Int64, generator: generator);
    }
}
