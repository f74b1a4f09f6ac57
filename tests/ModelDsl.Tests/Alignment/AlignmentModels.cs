using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Tests.Peft;
using ModelDsl.Tests.Training.Support;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Alignment;

/// <summary>Tiny GPT-2 and Llama models over the toy character vocabulary, and small preference sets.</summary>
internal static class AlignmentModels
{
    public static Gpt2Config Gpt2Config { get; } = new(Layers: 2, Dim: 32, Heads: 4, Vocab: ToyCorpus.Tokenizer.VocabularySize, Context: 64);

    public static LlamaConfig LlamaConfig { get; } = new(Layers: 2, Dim: 32, Heads: 4, KvHeads: 2, Ffn: 48, Vocab: ToyCorpus.Tokenizer.VocabularySize, Context: 64);

    public static Gpt2LMHeadModel Gpt2(int seed)
    {
        set_num_threads(1);
        manual_seed(seed);
        return new Gpt2LMHeadModel(Gpt2Config);
    }

    public static LlamaForCausalLM Llama(int seed)
    {
        set_num_threads(1);
        manual_seed(seed);
        return new LlamaForCausalLM(LlamaConfig);
    }

    public static Gpt2LoraSetup Lora(Gpt2LMHeadModel model) => new(model, new LoraSettings(rank: 4, alpha: 8));

    /// <summary>Gives every LoRA B a non-zero value, so the adapter changes the output (a fresh one is a no-op).</summary>
    public static void Perturb(PeftSetup setup, int seed)
    {
        manual_seed(seed);
        using var _ = no_grad();
        foreach (var parameter in setup.TrainableParameters().Where(p => p.dim() == 2))
            parameter.add_(randn_like(parameter) * 0.2);
    }

    public static TokenizedPreferences Pairs(params (string Prompt, string Chosen, string Rejected)[] pairs) =>
        new PreferenceDataset(pairs.Select(p => new TextPreference(p.Prompt, p.Chosen, p.Rejected)))
            .Tokenize(ToyCorpus.Tokenizer, new() { EosTokenId = CharTokenizer.Eos, PadTokenId = CharTokenizer.Pad });
}
