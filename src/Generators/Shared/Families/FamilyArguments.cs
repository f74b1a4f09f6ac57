namespace ModelDsl.Families;

/// <summary>
/// The names of a family's arguments in a ModelDsl attribute and the <c>config.json</c> fields they are read from,
/// so the generator names the argument and the runtime names the field of the same mistake.
/// </summary>
internal static class FamilyArguments
{
    public const string Layers = "Layers";
    public const string Dim = "Dim";
    public const string Heads = "Heads";
    public const string KvHeads = "KvHeads";
    public const string HeadDim = "HeadDim";
    public const string Ffn = "Ffn";
    public const string Vocab = "Vocab";
    public const string Context = "Context";
    public const string NormEps = "NormEps";
    public const string RopeTheta = "RopeTheta";
    public const string TieEmbeddings = "TieEmbeddings";
    public const string RopeScaling = "RopeScaling";
    public const string RopeFactor = "RopeFactor";
    public const string LowFreqFactor = "LowFreqFactor";
    public const string HighFreqFactor = "HighFreqFactor";
    public const string OriginalContext = "OriginalContext";
    public const string SlidingWindow = "SlidingWindow";
    public const string MaxWindowLayers = "MaxWindowLayers";

    /// <summary>The <c>config.json</c> field that holds <paramref name="argument"/> for <paramref name="family"/>.</summary>
    public static string FieldOf(FamilyKind family, string argument)
    {
        if (family == FamilyKind.Gpt2)
        {
            switch (argument)
            {
                case Layers: return "n_layer";
                case Dim: return "n_embd";
                case Heads: return "n_head";
                case Context: return "n_positions";
                case NormEps: return "layer_norm_epsilon";
            }
        }
        return argument switch
        {
            Layers => "num_hidden_layers",
            Dim => "hidden_size",
            Heads => "num_attention_heads",
            KvHeads => "num_key_value_heads",
            HeadDim => "head_dim",
            Ffn => "intermediate_size",
            Vocab => "vocab_size",
            Context => "max_position_embeddings",
            NormEps => "rms_norm_eps",
            RopeTheta => "rope_theta",
            TieEmbeddings => "tie_word_embeddings",
            RopeScaling => "rope_scaling.rope_type",
            RopeFactor => "rope_scaling.factor",
            LowFreqFactor => "rope_scaling.low_freq_factor",
            HighFreqFactor => "rope_scaling.high_freq_factor",
            OriginalContext => "rope_scaling.original_max_position_embeddings",
            SlidingWindow => "sliding_window",
            MaxWindowLayers => "max_window_layers",
            _ => argument,
        };
    }
}
