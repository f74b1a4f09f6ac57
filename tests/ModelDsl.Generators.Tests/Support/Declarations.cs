namespace ModelDsl.Generators.Tests.Support;

/// <summary>Representative declarations, as a user would write them.</summary>
internal static class Declarations
{
    public const string TinyGpt = """
        using ModelDsl;
        using ModelDsl.Layers;
        using static TorchSharp.torch;

        namespace Demo;

        [Model]
        public partial class TinyGpt
        {
            public const int Vocab = 64, Dim = 32, Heads = 4, Layers = 2, Context = 16;

            [Embedding(Vocab, Dim)] public partial Embedding Wte { get; }
            [Embedding(Context, Dim)] public partial Embedding Wpe { get; }
            [Repeat(Layers)] public partial ModuleList<Block> H { get; }
            [LayerNorm(Dim)] public partial LayerNorm LnF { get; }
            [Linear(Dim, Vocab, Bias = false, TiedTo = nameof(Wte))] public partial Linear LmHead { get; }

            public Tensor Forward(Tensor ids)
            {
                using var scope = NewDisposeScope();
                var x = Wte.call(ids) + Wpe.call(arange(ids.shape[1], device: ids.device));
                foreach (var block in H) x = block.call(x);
                return LmHead.call(LnF.call(x)).MoveToOuterDisposeScope();
            }
        }

        [Module]
        public partial class Block
        {
            [LayerNorm(TinyGpt.Dim, Name = "ln_1")] public partial LayerNorm Ln1 { get; }
            [CausalSelfAttention(TinyGpt.Dim, TinyGpt.Heads, KvHeads = 2)] public partial CausalSelfAttention Attn { get; }
            [LayerNorm(TinyGpt.Dim, Name = "ln_2")] public partial LayerNorm Ln2 { get; }
            [Mlp(TinyGpt.Dim, 4 * TinyGpt.Dim, Activation.Gelu)] public partial Mlp Mlp { get; }

            public Tensor Forward(Tensor x)
            {
                x = x + Attn.call(Ln1.call(x));
                return x + Mlp.call(Ln2.call(x));
            }
        }
        """;

    public const string Classifier = """
        using ModelDsl;
        using ModelDsl.Layers;
        using TorchSharp;
        using static TorchSharp.torch;

        namespace Demo.Classifiers
        {
            public static partial class Holder
            {
                [Model]
                internal partial class TinyClassifier
                {
                    const int D = 16;
                    [Embedding(128, D)] private readonly Embedding embed;
                    [RmsNorm(D, Eps = 1e-5)] internal partial RmsNorm Norm { get; }
                    [Linear(D, D)] public partial Linear Hidden { get; }
                    [Dropout(0.1)] public partial Dropout Drop { get; }
                    [Linear(D, 2, Name = "score")] public partial Linear Head { get; }

                    public Tensor Forward(Tensor ids, Tensor mask) =>
                        Head.call(Drop.call(nn.functional.relu(Hidden.call(Norm.call(embed.call(ids).mean([1]))))));
                }
            }
        }
        """;

    public const string Families = """
        using ModelDsl;

        [Gpt2(Layers = 6, Dim = 384, Heads = 6, Vocab = 8192, Context = 256)]
        public partial class StoryGpt;

        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128, RopeTheta = 500000, TieEmbeddings = true)]
        public partial class TinyLlama;
        """;

    public const string Setups = """
        using ModelDsl;

        [Gpt2]
        public partial class Gpt2Small;

        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128)]
        public partial class SmallLlama;

        [FineTune<Gpt2Small>]
        [LoRA(8, Targets = ["c_attn"])]
        public partial class Gpt2Lora;

        [FineTune<Gpt2Small>]
        [SoftPrompt(20, InitText = "Classify the review:")]
        public partial class Gpt2Prompt;

        [FineTune<SmallLlama>]
        [Adapter(Bottleneck = 8, Placement = AdapterPlacement.Houlsby)]
        public partial class LlamaAdapters;

        [FineTune<SmallLlama>]
        [LoRA(4, Alpha = 8, Dropout = 0.05, UseRsLora = true, Layers = [1])]
        public partial class LlamaLora;
        """;

    /// <summary>Setups over a quantized frozen base ([Quantize]), with code that uses the generated member.</summary>
    public const string QuantizedSetups = """
        using ModelDsl;

        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 500, Context = 128)]
        public partial class SmallGpt;

        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128)]
        public partial class SmallLlama;

        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Quantize(Bits = 4)]
        public partial class Gpt2QLora;

        [FineTune<SmallLlama>]
        [LoRA(4, Targets = ["q_proj", "v_proj"])]
        [Quantize(Bits = 8)]
        public partial class LlamaInt8Lora;

        public static class Usage
        {
            public static int Bits => Gpt2QLora.Quantization.Bits;
        }
        """;

    /// <summary>Preference tuning declared on setups, with code that uses the generated members.</summary>
    public const string PreferenceSetups = """
        using ModelDsl;
        using ModelDsl.Data;
        using ModelDsl.Training.Alignment;

        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128)]
        public partial class SmallLlama;

        [FineTune<SmallLlama>]
        [LoRA(4)]
        [Dpo(Beta = 0.2, LabelSmoothing = 0.1)]
        [RewardHead]
        public partial class LlamaPreferences;

        [FineTune<SmallLlama>]
        [FullFineTune]
        [Dpo(Loss = DpoLossType.Ipo)]
        public partial class LlamaIpo;

        public static class Usage
        {
            public static DpoObjective Align(LlamaPreferences setup, TokenizedPreferences pairs) => setup.DpoObjective(pairs);
            public static DpoObjective AlignFully(LlamaIpo setup, TokenizedPreferences pairs) => setup.DpoObjective(pairs, DpoReference.Precomputed);
            public static RewardModel Reward(LlamaPreferences setup) => setup.CreateRewardModel();
            public static double Beta => LlamaPreferences.DpoOptions.Beta;
        }
        """;

    public const string Clients = """
        using System.Collections.Generic;
        using System.Threading;
        using ModelDsl;
        using ModelDsl.Clients;

        namespace Demo.Clients;

        [Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 64)]
        public partial class ChatGpt;

        public enum Sentiment { Positive, Negative }

        [InferenceClient<ChatGpt>]
        public partial class ReviewClient
        {
            [Prompt("Review: {review}\nSentiment:")]
            [Example("I loved it", "Positive")]
            [Example("Terrible", "Negative")]
            public partial Sentiment Classify(string review);

            [Prompt("Q: {question}\nA:", MaxNewTokens = 8, Stop = ["\n"])]
            public partial string Answer(string question, IEnumerable<PromptExample> examples, CancellationToken cancellationToken);

            [Prompt("Is \"{claim}\" true?")]
            public partial bool Check(string claim);

            [Prompt("A story about {topic}:", Temperature = 0.8, TopK = 40)]
            internal partial IAsyncEnumerable<string> Tell(string topic);
        }
        """;

    public const string NewFamilies = """
        using ModelDsl;

        namespace Demo.Families;

        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 128, Vocab = 256, Context = 512, RopeTheta = 500000, TieEmbeddings = true,
            HeadDim = 32, RopeScaling = RopeScaling.Llama3, RopeFactor = 32, LowFreqFactor = 1, HighFreqFactor = 4, OriginalContext = 64)]
        public partial class TinyLlama3;

        [Mistral(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 128, Vocab = 256, Context = 512, SlidingWindow = 16)]
        public partial class TinyMistral;

        [Qwen2(Layers = 3, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 128, Vocab = 256, Context = 512, SlidingWindow = 16, MaxWindowLayers = 1)]
        public partial class TinyQwen2;

        [Qwen3(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, HeadDim = 32, Ffn = 128, Vocab = 256, Context = 512)]
        public partial class TinyQwen3;

        [Phi3(Layers = 2, Dim = 64, Heads = 4, KvHeads = 4, Ffn = 128, Vocab = 256, Context = 512, SlidingWindow = 0)]
        public partial class TinyPhi3;

        [Gemma(Layers = 2, Dim = 64, Heads = 4, KvHeads = 1, HeadDim = 32, Ffn = 128, Vocab = 256, Context = 512)]
        public partial class TinyGemma;
        """;

    public const string FromConfig = """
        using ModelDsl;

        namespace Demo.Configs;

        [FromConfig("models/tiny-qwen2/config.json")]
        public partial class TinyQwenFromConfig;

        [FineTune<TinyQwenFromConfig>]
        [LoRA(4)]
        public partial class TinyQwenLora;
        """;

    /// <summary>A Qwen2.5-style config.json as save_pretrained writes it, small.</summary>
    public const string TinyQwen2ConfigJson = """
        {
          "architectures": ["Qwen2ForCausalLM"],
          "attention_dropout": 0.0,
          "bos_token_id": 151643,
          "eos_token_id": 151643,
          "hidden_act": "silu",
          "hidden_size": 64,
          "initializer_range": 0.02,
          "intermediate_size": 160,
          "max_position_embeddings": 256,
          "max_window_layers": 2,
          "model_type": "qwen2",
          "num_attention_heads": 4,
          "num_hidden_layers": 2,
          "num_key_value_heads": 2,
          "rms_norm_eps": 1e-06,
          "rope_scaling": null,
          "rope_theta": 1000000.0,
          "sliding_window": 256,
          "tie_word_embeddings": true,
          "torch_dtype": "bfloat16",
          "transformers_version": "4.43.1",
          "use_cache": true,
          "use_sliding_window": false,
          "vocab_size": 300
        }
        """;

    public static Microsoft.CodeAnalysis.AdditionalText TinyQwen2Config(string json = TinyQwen2ConfigJson) =>
        new InMemoryAdditionalText("/repo/app/models/tiny-qwen2/config.json", json);
    public const string AsyncClients = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using ModelDsl;
        using ModelDsl.Clients;

        namespace Demo.Async;

        [Gpt2(Layers = 1, Dim = 16, Heads = 2, Vocab = 50257, Context = 128)]
        public partial class StoryGpt;

        public enum Feeling { Happy, Sad, [Description("scared")] Afraid }

        [Description("Someone in the story.")]
        public sealed record Character(string Name, [property: Description("How they felt at the end.")] Feeling Felt, int? Age);

        public sealed class StoryFacts
        {
            [JsonPropertyName("who")] public List<Character> Who { get; set; } = [];
            [Description("What happened, in one sentence.")] public string What { get; init; } = "";
            public DateOnly? When { get; set; }
            public double Rating { get; set; }
            [JsonIgnore] public string Ignored { get; set; } = "";
            public string ReadOnly => What;
        }

        [InferenceClient<StoryGpt>]
        public partial class StoryClient
        {
            [Prompt("Story: {story}\nFacts as JSON:", MaxNewTokens = 80)]
            public partial Task<StoryFacts> FactsAsync(string story, CancellationToken cancellationToken);

            [Prompt("Story: {story}\nMain character:", MaxNewTokens = 40)]
            public partial Character MainCharacter(string story);

            [Prompt("Q: {question}\nA:", MaxNewTokens = 8)]
            public partial ValueTask<string> AskAsync(string question);

            [Prompt("Story: {story}\nFeeling:")]
            public partial Task<Feeling> FeelingAsync(string story, CancellationToken cancellationToken);

            [Prompt("Is it a happy story? {story}", TrueLabel = "Yes", FalseLabel = "No")]
            public partial ValueTask<bool> IsHappyAsync(string story);
        }
        """;
}
