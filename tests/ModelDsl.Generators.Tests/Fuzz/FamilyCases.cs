using System.Collections.Generic;
using System.Linq;
using CsCheck;
using static ModelDsl.Generators.Tests.Fuzz.FuzzValues;

namespace ModelDsl.Generators.Tests.Fuzz;

/// <summary>
/// Family declarations ([Gpt2], [Llama] with rotary scaling, [Mistral], [Qwen2], [Qwen3], [Phi3], [Gemma]) with
/// arbitrary sizes, and [FromConfig] over arbitrary config.json text. Validity is decided from the values alone, with
/// the published reference models as defaults and the parameter count written out here.
/// </summary>
internal static class FamilyCases
{
    /// <summary>The most blocks ModelDsl lays out (MDSL011).</summary>
    public const long MaxBlocks = 1024;

    /// <summary>The most vocabulary entries (2^24).</summary>
    public const long MaxVocabulary = 1 << 24;

    /// <summary>The most parameters a model may have (1 TB of fp32 weights, MDSL020).</summary>
    const double MaxParameters = 2.5e11;

    /// <summary>Width and heads: usually consistent (heads divides width, even head width), otherwise independent.</summary>
    static readonly Gen<(IntArg Dim, IntArg Heads)> Shape = Gen.Frequency(
        (3, Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4], (h, k) => (new IntArg(h * 2 * k), new IntArg(h)))),
        (1, Gen.Select(Int, Int, (d, h) => (d, h))));

    static readonly Gen<IntArg> Context = Gen.Frequency((3, Gen.Int[8, 64].Select(i => new IntArg(i))), (1, Int));

    static bool PositiveFinite(double value) => value > 0 && !double.IsInfinity(value);

    public sealed record Gpt2Args(IntArg? Layers, (IntArg Dim, IntArg Heads)? Shape, IntArg? Vocab, IntArg? Context, DoubleArg? NormEps)
    {
        public long Layers_ => Layers?.Value ?? 12;
        public long Dim => Shape?.Dim.Value ?? 768;
        public long Heads => Shape?.Heads.Value ?? 12;
        public long Vocab_ => Vocab?.Value ?? 50257;
        public long Context_ => Context?.Value ?? 1024;

        // GPT2LMHeadModel: wte + wpe + per block (ln_1, c_attn, c_proj, ln_2, c_fc, c_proj) + ln_f; the head is tied.
        double Parameters => (double)Vocab_ * Dim + (double)Context_ * Dim + Layers_ * (12.0 * Dim * Dim + 13.0 * Dim) + 2.0 * Dim;

        public bool IsValid =>
            Layers_ is >= 1 and <= MaxBlocks && Dim >= 1 && Heads >= 1 && Vocab_ is >= 1 and <= MaxVocabulary && Context_ >= 1
            && Dim % Heads == 0 && PositiveFinite(NormEps?.Value ?? 1e-5) && Parameters <= MaxParameters;

        public string Attribute => "Gpt2(" + Arguments(Named("Layers", Layers), Named("Dim", Shape?.Dim), Named("Heads", Shape?.Heads),
            Named("Vocab", Vocab), Named("Context", Context), Named("NormEps", NormEps)) + ")";
    }

    public static readonly Gen<Gpt2Args> Gpt2Arguments = Gen.Select(
        Optional(Gen.Frequency((4, SmallPositive), (1, Int))), Optional(Shape), Optional(Int), Optional(Context), Optional(Double),
        (layers, shape, vocab, context, eps) => new Gpt2Args(layers, shape, vocab, context, eps));

    /// <summary>A rotary family's reference model, the attribute's defaults.</summary>
    sealed record Reference(int Layers, int Dim, int Heads, int KvHeads, int HeadDim, int Ffn, int Vocab, int Context, double Theta, bool Tie, int SlidingWindow);

    static readonly Dictionary<string, Reference> References = new()
    {
        ["Llama"] = new(32, 4096, 32, 0, 0, 11008, 32000, 4096, 10000, false, 0),      // Llama-2-7B
        ["Mistral"] = new(32, 4096, 32, 8, 0, 14336, 32000, 32768, 10000, false, 4096), // Mistral-7B-v0.1
        ["Qwen2"] = new(24, 896, 14, 2, 0, 4864, 151936, 32768, 1e6, true, 0),         // Qwen2.5-0.5B
        ["Qwen3"] = new(28, 1024, 16, 8, 128, 3072, 151936, 40960, 1e6, true, 0),      // Qwen3-0.6B
        ["Phi3"] = new(32, 3072, 32, 32, 0, 8192, 32064, 4096, 10000, false, 2047),    // Phi-3-mini-4k
        ["Gemma"] = new(18, 2048, 8, 1, 256, 16384, 256000, 8192, 10000, true, 0),     // Gemma-2B
    };

    /// <summary>Rotary scaling as written on [Llama]: the kind (null: not written) and the factors that were written.</summary>
    public sealed record RopeArgs(string? Kind, DoubleArg? Factor, DoubleArg? Low, DoubleArg? High, IntArg? Original)
    {
        public bool IsValid
        {
            get
            {
                bool scaled = Kind is "Linear" or "Llama3";
                if (!scaled) return Factor is null && Low is null && High is null && Original is null;
                if (!PositiveFinite(Factor?.Value ?? 8)) return false;
                if (Kind == "Linear") return Low is null && High is null && Original is null;
                double low = Low?.Value ?? 1, high = High?.Value ?? 4;
                return PositiveFinite(low) && PositiveFinite(high) && high > low && (Original?.Value ?? 8192) >= 1;
            }
        }

        public string Text => Arguments(Kind is null ? "" : $"RopeScaling = RopeScaling.{Kind}", Named("RopeFactor", Factor),
            Named("LowFreqFactor", Low), Named("HighFreqFactor", High), Named("OriginalContext", Original));
    }

    static readonly Gen<RopeArgs> Rope = Gen.Frequency(
        (3, Gen.Const(new RopeArgs(null, null, null, null, null))),
        (2, Gen.Select(Gen.OneOf(Gen.Const((string?)"None"), Gen.Const((string?)"Linear"), Gen.Const((string?)"Llama3"), Gen.Const((string?)null)),
            Optional(Double), Optional(Double), Optional(Double), Optional(Int),
            (kind, factor, low, high, original) => new RopeArgs(kind, factor, low, high, original))));

    public sealed record DecoderArgs(string Family, IntArg? Layers, (IntArg Dim, IntArg Heads)? Shape, IntArg? KvHeads, IntArg? HeadDim, IntArg? Ffn,
        IntArg? Vocab, IntArg? Context, DoubleArg? RopeTheta, bool? Tie, DoubleArg? NormEps, IntArg? SlidingWindow, IntArg? MaxWindowLayers, RopeArgs Rope)
    {
        Reference R => References[Family];
        public long L => Layers?.Value ?? R.Layers;
        public long D => Shape?.Dim.Value ?? R.Dim;
        long H => Shape?.Heads.Value ?? R.Heads;
        long Kv => (KvHeads?.Value ?? R.KvHeads) is var kv && kv == 0 ? H : kv;
        long Hd => HeadDim?.Value ?? R.HeadDim;
        long Width => Hd != 0 ? Hd : H >= 1 ? D / H : 0;
        long F => Ffn?.Value ?? R.Ffn;
        long V => Vocab?.Value ?? R.Vocab;
        public long C => Context?.Value ?? R.Context;
        bool TieHead => Tie ?? R.Tie;

        // q, k, v, o (+ Qwen2's q/k/v biases, Qwen3's per-head norms), the gated MLP, two norms; embedding, final norm, head.
        double Parameters
        {
            get
            {
                double q = (double)H * Width, kv = (double)Kv * Width;
                double attention = D * q + 2 * D * kv + q * D + (Family == "Qwen2" ? q + 2 * kv : 0) + (Family == "Qwen3" ? 2.0 * Width : 0);
                double layer = attention + 3.0 * D * F + 2.0 * D;
                return V * (double)D * (TieHead ? 1 : 2) + L * layer + D;
            }
        }

        bool HasSlidingWindow => Family is "Mistral" or "Qwen2" or "Qwen3" or "Phi3";

        public bool IsValid =>
            L is >= 1 and <= MaxBlocks && D >= 1 && H >= 1 && Kv >= 1 && Hd >= 0 && F >= 1 && V is >= 1 and <= MaxVocabulary && C >= 1
            && (Hd != 0 || D % H == 0) && H % Kv == 0 && Width % 2 == 0
            && PositiveFinite(RopeTheta?.Value ?? R.Theta) && PositiveFinite(NormEps?.Value ?? 1e-5)
            // Only the arguments the family has are written (and so count).
            && (!HasSlidingWindow || (SlidingWindow?.Value ?? 0) >= 0) && (Family is not ("Qwen2" or "Qwen3") || (MaxWindowLayers?.Value ?? 0) >= 0)
            && Rope.IsValid && Parameters <= MaxParameters;

        public string Attribute => $"{Family}(" + Arguments(Named("Layers", Layers), Named("Dim", Shape?.Dim), Named("Heads", Shape?.Heads),
            Named("KvHeads", KvHeads), Named("HeadDim", HeadDim), Named("Ffn", Ffn), Named("Vocab", Vocab), Named("Context", Context),
            Named("RopeTheta", RopeTheta), Tie is { } t ? $"TieEmbeddings = {(t ? "true" : "false")}" : "", Named("NormEps", NormEps),
            HasSlidingWindow ? Named("SlidingWindow", SlidingWindow) : "",
            Family is "Qwen2" or "Qwen3" ? Named("MaxWindowLayers", MaxWindowLayers) : "",
            Family == "Llama" ? Rope.Text : "") + ")";
    }

    public static Gen<DecoderArgs> DecoderArguments(string family) => Gen.Select(
        Gen.Select(Optional(Gen.Frequency((4, SmallPositive), (1, Int))), Optional(Shape), Optional(Gen.Frequency((2, Gen.Int[0, 2].Select(i => new IntArg(i))), (1, Int))),
            Optional(Gen.Frequency((3, Gen.Const(new IntArg(0))), (2, Gen.Int[1, 8].Select(i => new IntArg(2 * i))), (1, Int)))),
        Gen.Select(Optional(Int), Optional(Int), Optional(Context), Optional(Double)),
        Gen.Select(Optional(Gen.Bool), Optional(Double), Optional(Gen.Frequency((3, Gen.Int[0, 16].Select(i => new IntArg(i))), (1, Int))),
            Optional(Gen.Frequency((3, Gen.Int[0, 3].Select(i => new IntArg(i))), (1, Int)))),
        family == "Llama" ? Rope : Gen.Const(new RopeArgs(null, null, null, null, null)),
        (a, b, c, rope) => new DecoderArgs(family, a.Item1, a.Item2, a.Item3, a.Item4, b.Item1, b.Item2, b.Item3, b.Item4, c.Item1, c.Item2, c.Item3, c.Item4, rope));

    public static readonly Gen<FuzzCase> Gpt2 = Gen.Select(Gpt2Arguments, ClassShapes.Gen, (args, shape) =>
        Make("[Gpt2]", args.Attribute, args.IsValid, shape));

    /// <summary>Every rotary family, Llama with its rotary-scaling arguments.</summary>
    public static readonly Gen<FuzzCase> Decoders = Gen.OneOf(References.Keys.ToArray())
        .SelectMany(family => Gen.Select(DecoderArguments(family), ClassShapes.Gen, (args, shape) => Make($"[{family}]", args.Attribute, args.IsValid, shape)));

    static FuzzCase Make(string kind, string attribute, bool valid, ClassShape shape)
    {
        bool ok = valid && shape == ClassShape.Ok;
        var source = $"using ModelDsl;\n\n[{attribute}]\n{ClassShapes.Declare(shape, "Fuzzed", null)}\n";
        return new FuzzCase(kind, source, ok ? Expectation.Valid : Expectation.Invalid, ok);
    }

    // A valid config.json of each family, small; the [FromConfig] cases start from one and break it.
    static readonly string[] ValidConfigs =
    [
        """{"model_type": "gpt2", "n_layer": 2, "n_embd": 32, "n_head": 4, "vocab_size": 50, "n_positions": 16, "layer_norm_epsilon": 1e-05}""",
        """{"model_type": "llama", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64, "rope_theta": 500000.0, "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0, "original_max_position_embeddings": 16}, "tie_word_embeddings": true}""",
        """{"model_type": "mistral", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64, "sliding_window": 8}""",
        """{"model_type": "qwen2", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 2, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64, "use_sliding_window": true, "sliding_window": 8, "max_window_layers": 1}""",
        """{"model_type": "qwen3", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64}""",
        """{"model_type": "phi3", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 4, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64, "sliding_window": 31, "embd_pdrop": 0.0}""",
        """{"model_type": "gemma", "num_hidden_layers": 2, "hidden_size": 32, "num_attention_heads": 4, "num_key_value_heads": 1, "head_dim": 16, "intermediate_size": 48, "vocab_size": 50, "max_position_embeddings": 64, "hidden_act": "gelu_pytorch_tanh"}""",
    ];

    static readonly string[] JsonValues = ["0", "-1", "2.5", "1e999", "\"x\"", "null", "true", "[]", "{}", "NaN", "99999999999", "\"\\uD800\"", "{\"rope_type\": \"yarn\"}"];

    /// <summary>A [FromConfig] class over a config.json that is valid, or broken by one edit (a value, a cut, a stray character).</summary>
    public static readonly Gen<FuzzCase> FromConfig = Gen.Select(Gen.Int[0, ValidConfigs.Length - 1], Gen.Int[0, 4], Gen.Int[0, int.MaxValue], ClassShapes.Gen,
        (which, how, at, shape) =>
        {
            var json = ValidConfigs[which];
            var edited = how switch
            {
                0 => json,
                1 => ReplaceValue(json, at, JsonValues[at % JsonValues.Length]),
                2 => json.Substring(0, at % (json.Length + 1)),
                3 => json.Insert(at % (json.Length + 1), "},[\":"[at % 5].ToString()),
                _ => json.Replace("\"model_type\": ", "\"model_type\": \"bert\", \"was\": "),
            };
            bool valid = how == 0 && shape == ClassShape.Ok;
            var source = $"using ModelDsl;\n\n[FromConfig(\"{FuzzCase.ConfigPath}\")]\n{ClassShapes.Declare(shape, "Fuzzed", null)}\n";
            var expect = how == 0 ? (valid ? Expectation.Valid : Expectation.Invalid) : how == 4 ? Expectation.Invalid : Expectation.Unknown;
            return new FuzzCase("[FromConfig]", source, expect, valid, edited);
        });

    // Replaces the value after one of the colons.
    static string ReplaceValue(string json, int at, string value)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':').ToList();
        int colon = colons[at % colons.Count];
        int end = colon + 1;
        int depth = 0;
        for (; end < json.Length; end++)
        {
            char c = json[end];
            if (c is '{' or '[') depth++;
            else if (c is '}' or ']') { if (depth == 0) break; depth--; }
            else if (c == ',' && depth == 0) break;
        }
        return json.Substring(0, colon + 1) + " " + value + json.Substring(end);
    }
}
