using Microsoft.ML.Tokenizers;
using ModelDsl.Models;
using ModelDsl.Tokenization;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Generation;

/// <summary>Tiny models over GPT-2's real vocabulary, so the offline GPT-2 tokenizer can drive them.</summary>
internal static class GenerationModels
{
    public const int Vocab = 50257;

    public static readonly Gpt2Config Gpt2 = new(Layers: 2, Dim: 32, Heads: 4, Vocab: Vocab, Context: 64);

    // GQA and rotary: positions of cached keys matter.
    public static readonly LlamaConfig Llama = new(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: Vocab, Context: 64, RopeTheta: 500);

    static Tokenizer? _tokenizer;

    public static Tokenizer Tokenizer => _tokenizer ??= Tokenizers.Gpt2();

    public static Gpt2LMHeadModel NewGpt2(long seed)
    {
        manual_seed(seed);
        var model = new Gpt2LMHeadModel(Gpt2);
        model.eval();
        return model;
    }

    public static LlamaForCausalLM NewLlama(long seed)
    {
        manual_seed(seed);
        var model = new LlamaForCausalLM(Llama);
        model.eval();
        return model;
    }

    public static ICausalLanguageModel New(string family, long seed) => family == "llama" ? NewLlama(seed) : NewGpt2(seed);
}
