using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace ModelDsl.Families;

/// <summary>
/// Reads a Hugging Face <c>config.json</c> into a <see cref="FamilyShape"/>: each family's field names and the
/// defaults its Hugging Face config class uses for absent fields, the refusal of every field value that would change
/// the math in a way ModelDsl does not implement (named, never ignored), and <see cref="FamilyRules"/> on the result.
/// Shared by the runtime (over System.Text.Json) and the generator's <c>[FromConfig]</c> (over its own parser), so a
/// file the generator accepts is a file the runtime loads. Never throws: the first problem is returned.
/// </summary>
internal sealed class FamilyConfigReader
{
    readonly ConfigNode _root;
    ConfigProblem? _problem;

    FamilyConfigReader(ConfigNode root) => _root = root;

    /// <summary>The <c>model_type</c> of every family, quoted, for messages.</summary>
    public static string SupportedModelTypes => string.Join(", ", FamilyTraits.All.Select(t => "\"" + t.ModelType + "\""));

    /// <summary>
    /// The shape <paramref name="root"/> describes, or the first problem. With <paramref name="expected"/>, a file without
    /// <c>model_type</c> is read as that family (older GPT-2 files have none) and another family is a problem.
    /// </summary>
    public static (FamilyShape? Shape, ConfigProblem? Problem) Read(ConfigNode root, FamilyKind? expected = null)
    {
        var reader = new FamilyConfigReader(root);
        var shape = reader.ReadShape(expected);
        return reader._problem is { } problem ? (null, problem) : (shape, null);
    }

    FamilyShape? ReadShape(FamilyKind? expected)
    {
        if (_root.Kind != ConfigNodeKind.Object)
        {
            Fail(ConfigProblemKind.NotAnObject, "", $"must hold a JSON object, found {KindName(_root.Kind)}.");
            return null;
        }
        var traits = ReadFamily(expected);
        if (traits is null) return null;
        var shape = traits.Kind == FamilyKind.Gpt2 ? ReadGpt2() : ReadDecoder(traits);
        if (shape is null || _problem is not null) return null;
        var problems = FamilyRules.Check(shape, argument => FamilyArguments.FieldOf(shape.Family, argument));
        if (problems.Count > 0)
        {
            var first = problems[0];
            var field = first.Argument.Length == 0 ? "" : FamilyArguments.FieldOf(shape.Family, first.Argument);
            Fail(ConfigProblemKind.InvalidShape, field, first.Kind == FamilyProblemKind.TooLarge ? first.Message : "Config field " + first.Message);
        }
        return shape;
    }

    FamilyTraits? ReadFamily(FamilyKind? expected)
    {
        var node = _root.Property("model_type");
        if (node is null || node.Kind == ConfigNodeKind.Null)
        {
            if (expected is { } kind) return FamilyTraits.Of(kind);
            Fail(ConfigProblemKind.UnsupportedModelType, "model_type",
                $"has no \"model_type\"; it must name one of the families ModelDsl supports: {SupportedModelTypes}.");
            return null;
        }
        if (node.String is not { } modelType)
        {
            Fail(ConfigProblemKind.InvalidValue, "model_type", $"must be a string, found {node.Text}.");
            return null;
        }
        var traits = FamilyTraits.ByModelType(modelType);
        if (expected is { } wanted && traits?.Kind != wanted)
        {
            Fail(ConfigProblemKind.OtherFamily, "model_type",
                $"describes a \"{modelType}\" model (field \"model_type\"), but a \"{FamilyTraits.Of(wanted).ModelType}\" configuration was expected.");
            return null;
        }
        if (traits is null)
            Fail(ConfigProblemKind.UnsupportedModelType, "model_type",
                $"describes a \"{modelType}\" model (field \"model_type\"), which ModelDsl does not implement; supported: {SupportedModelTypes}.");
        return traits;
    }

    FamilyShape ReadGpt2()
    {
        var layers = Int(_root, "n_layer");
        var dim = Int(_root, "n_embd");
        var heads = Int(_root, "n_head");
        var vocab = Int(_root, "vocab_size");
        var context = Int(_root, "n_positions", alias: "n_ctx");
        var eps = Double(_root, "layer_norm_epsilon", 1e-5);
        // Variants this implementation would silently compute differently are refused.
        RefuseUnless("activation_function", v => v.String is "gelu_new" or "gelu_pytorch_tanh",
            "only GELU with the tanh approximation (\"gelu_new\") is implemented");
        RefuseUnless("n_inner", v => v.TryGetInteger(out var inner) && inner == 4L * dim, "the MLP width must be 4 × n_embd");
        RefuseUnless("scale_attn_by_inverse_layer_idx", v => v.Kind == ConfigNodeKind.Bool && !v.Bool, "attention is scaled by 1/sqrt(head_dim) only");
        RefuseUnless("tie_word_embeddings", v => v.Kind == ConfigNodeKind.Bool && v.Bool, "GPT2LMHeadModel's head is tied to wte");
        return FamilyShape.Gpt2(layers, dim, heads, vocab, context, eps);
    }

    FamilyShape ReadDecoder(FamilyTraits traits)
    {
        var family = traits.Kind;
        var layers = Int(_root, "num_hidden_layers");
        var dim = Int(_root, "hidden_size");
        var heads = Int(_root, "num_attention_heads");
        // Absent: the config class's default; null: one key/value head per query head (as the config classes do).
        var kvHeads = Int(_root, "num_key_value_heads", absent: DefaultKvHeads(family, heads), whenNull: heads);
        var ffn = Int(_root, "intermediate_size");
        var vocab = Int(_root, "vocab_size");
        var context = Int(_root, "max_position_embeddings");
        // Absent: the class default (Qwen3 128, Gemma 256, otherwise hidden_size / num_attention_heads); null: the latter.
        var headDim = Int(_root, "head_dim", absent: family switch { FamilyKind.Qwen3 => 128, FamilyKind.Gemma => 256, _ => 0 }, whenNull: 0);
        var eps = Double(_root, "rms_norm_eps", family == FamilyKind.Phi3 ? 1e-5 : 1e-6);
        var tie = Bool(_root, "tie_word_embeddings", family == FamilyKind.Gemma);
        var (theta, scaling) = ReadRotary();
        var activation = ReadActivation(traits);
        var (window, firstSliding) = ReadSlidingWindow(traits, layers);

        RefuseUnless("partial_rotary_factor", v => v.TryGetDouble(out var f) && f == 1.0,
            "only full rotary embeddings are implemented (partial_rotary_factor 1.0)");
        RefuseDropout("attention_dropout");
        if (family == FamilyKind.Phi3)
        {
            RefuseDropout("resid_pdrop");
            RefuseDropout("embd_pdrop");
        }
        // Qwen2, Mistral and Phi-3 fix their biases in code; the families that read these fields have none.
        if (family is FamilyKind.Llama or FamilyKind.Qwen3 or FamilyKind.Gemma)
            RefuseUnless("attention_bias", v => v.Kind == ConfigNodeKind.Bool && !v.Bool, $"{traits.DisplayName}'s attention projections have no bias here");
        if (family == FamilyKind.Llama)
            RefuseUnless("mlp_bias", v => v.Kind == ConfigNodeKind.Bool && !v.Bool, "Llama's MLP projections have no bias here");
        RefuseUnless("final_logit_softcapping", _ => false, "logit soft-capping (a Gemma 2 feature) is not implemented");
        RefuseUnless("attn_logit_softcapping", _ => false, "logit soft-capping (a Gemma 2 feature) is not implemented");
        RefuseUnless("quantization_config", _ => false, "quantized weights are not implemented; use the unquantized checkpoint");

        return new FamilyShape(family, layers, dim, heads, kvHeads, headDim, ffn, vocab, context, eps, theta, tie, scaling,
            window, firstSliding, activation);
    }

    static int DefaultKvHeads(FamilyKind family, int heads) => family switch
    {
        FamilyKind.Mistral => 8,
        FamilyKind.Qwen2 or FamilyKind.Qwen3 => 32,
        FamilyKind.Gemma => 16,
        _ => heads,
    };

    // rope_theta and rope_scaling, or transformers 5's rope_parameters (which holds both).
    (double Theta, RopeScalingShape? Scaling) ReadRotary()
    {
        var theta = Double(_root, "rope_theta", 10000);
        var scaling = Present(_root, "rope_scaling");
        var parameters = Present(_root, "rope_parameters");
        if (scaling is not null && parameters is not null)
        {
            Unsupported("rope_parameters", parameters, "rope_scaling describes the rotary embedding too; keep one of them");
            return (theta, null);
        }
        var (node, field) = scaling is not null ? (scaling, "rope_scaling") : (parameters, "rope_parameters");
        if (node is null) return (theta, null);
        if (node.Kind != ConfigNodeKind.Object)
        {
            Unsupported(field, node, "expected an object with \"rope_type\" and its factors");
            return (theta, null);
        }
        if (field == "rope_parameters") theta = Double(node, "rope_theta", theta, field + ".rope_theta");
        var typeNode = Present(node, "rope_type") ?? Present(node, "type");
        var type = typeNode?.String;
        if (typeNode is not null && type is null)
        {
            Unsupported(field + ".rope_type", typeNode, "expected the name of a rope type");
            return (theta, null);
        }
        switch (type)
        {
            case null or "default":
                return (theta, null);
            case "linear":
                return (theta, RopeScalingShape.Linear(Double(node, "factor", null, field + ".factor")));
            case "llama3":
                return (theta, new RopeScalingShape(RopeKind.Llama3,
                    Double(node, "factor", null, field + ".factor"),
                    Double(node, "low_freq_factor", null, field + ".low_freq_factor"),
                    Double(node, "high_freq_factor", null, field + ".high_freq_factor"),
                    Int(node, "original_max_position_embeddings", fieldName: field + ".original_max_position_embeddings")));
            default:
                Unsupported(field + ".rope_type", typeNode!, $"rotary scaling \"{type}\" is not implemented; ModelDsl implements \"linear\" and \"llama3\"");
                return (theta, null);
        }
    }

    FamilyActivation ReadActivation(FamilyTraits traits)
    {
        if (traits.Kind != FamilyKind.Gemma)
        {
            RefuseUnless("hidden_act", v => v.String is "silu" or "swish", $"{traits.DisplayName}'s MLP uses SiLU (\"silu\")");
            return FamilyActivation.Silu;
        }
        // transformers up to 4.45 ran Gemma's MLP on hidden_activation (tanh GELU when absent); later versions on hidden_act.
        var act = Present(_root, "hidden_act");
        var activation = Present(_root, "hidden_activation");
        var fromAct = act is null ? FamilyActivation.GeluTanh : Gelu("hidden_act", act);
        if (activation is null) return fromAct;
        var fromActivation = Gelu("hidden_activation", activation);
        if (act is not null && fromAct != fromActivation)
            Unsupported("hidden_activation", activation,
                $"it names another activation than hidden_act {act.Text}, and transformers versions differ on which one Gemma uses; set both to the same name");
        return fromActivation;
    }

    FamilyActivation Gelu(string field, ConfigNode node)
    {
        switch (node.String)
        {
            case "gelu": return FamilyActivation.Gelu;
            case "gelu_pytorch_tanh" or "gelu_new": return FamilyActivation.GeluTanh;
            default:
                Unsupported(field, node, "Gemma's MLP uses GELU: \"gelu_pytorch_tanh\" (tanh approximation) or \"gelu\" (exact)");
                return FamilyActivation.GeluTanh;
        }
    }

    (int Window, int FirstLayer) ReadSlidingWindow(FamilyTraits traits, int layers)
    {
        switch (traits.Sliding)
        {
            case SlidingWindowMode.AllLayers:
                return (Int(_root, "sliding_window", absent: traits.Kind == FamilyKind.Mistral ? 4096 : 0, whenNull: 0), 0);
            case SlidingWindowMode.FromLayer:
                var use = Bool(_root, "use_sliding_window", false);
                var window = Int(_root, "sliding_window", absent: 4096, whenNull: 0);
                var first = Int(_root, "max_window_layers", absent: 28, min: 0);
                if (!use) window = 0;
                if (Present(_root, "layer_types") is { } types) first = ReadLayerTypes(types, layers, window, first);
                return (window, first);
            default:
                return (0, 0);
        }
    }

    // Explicit layer types must be what Qwen's max_window_layers describes: full attention first, then sliding.
    int ReadLayerTypes(ConfigNode types, int layers, int window, int first)
    {
        if (types.Kind != ConfigNodeKind.Array || types.Items.Any(t => t.String is not ("full_attention" or "sliding_attention")))
        {
            Unsupported("layer_types", types, "expected a list of \"full_attention\" and \"sliding_attention\"");
            return first;
        }
        var items = types.Items;
        if (items.Count != layers)
        {
            Unsupported("layer_types", types, $"it lists {items.Count} layers but num_hidden_layers is {layers}");
            return first;
        }
        int firstSliding = items.Count;
        for (int i = 0; i < items.Count; i++)
            if (items[i].String == "sliding_attention") { firstSliding = i; break; }
        if (items.Skip(firstSliding).Any(t => t.String != "sliding_attention"))
        {
            Unsupported("layer_types", types, "only full-attention layers followed by sliding-window layers (max_window_layers) are implemented");
            return first;
        }
        if (firstSliding < items.Count && window == 0)
            Unsupported("layer_types", types, "it marks sliding-window layers, but use_sliding_window is false or sliding_window is null");
        return window == 0 ? first : firstSliding;
    }

    void RefuseDropout(string field) =>
        RefuseUnless(field, v => v.TryGetDouble(out var p) && p == 0, "dropout inside the model is not implemented; set it to 0.0 (setups have their own dropout)");

    // A present, non-null field whose value the check does not accept is refused by name.
    void RefuseUnless(string field, System.Func<ConfigNode, bool> supported, string what)
    {
        if (Present(_root, field) is { } node && !supported(node)) Unsupported(field, node, what);
    }

    void Unsupported(string field, ConfigNode node, string what) =>
        Fail(ConfigProblemKind.Unsupported, field, $"is {node.Text}, which is not supported: {what}.");

    static ConfigNode? Present(ConfigNode parent, string name) =>
        parent.Property(name) is { Kind: not ConfigNodeKind.Null } node ? node : null;

    int Int(ConfigNode parent, string name, int? absent = null, int? whenNull = null, int min = 1, string? alias = null, string? fieldName = null)
    {
        var field = fieldName ?? name;
        var node = parent.Property(name);
        if ((node is null || node.Kind == ConfigNodeKind.Null) && alias is not null && parent.Property(alias) is { Kind: not ConfigNodeKind.Null } aliased)
            (node, field) = (aliased, alias);
        if (node is null || (node.Kind == ConfigNodeKind.Null && whenNull is null))
        {
            if (absent is { } fallback) return fallback;
            Fail(ConfigProblemKind.MissingField, field,
                $"has no \"{field}\"{(alias is null ? "" : $" (or {alias})")}; it is required to build the model.");
            return 0;
        }
        if (node.Kind == ConfigNodeKind.Null) return whenNull!.Value;
        if (node.Kind != ConfigNodeKind.Number || !node.TryGetInteger(out var value))
        {
            Fail(ConfigProblemKind.InvalidValue, field, $"must be an integer, found {node.Text}.");
            return 0;
        }
        if (value < min || value > int.MaxValue)
        {
            Fail(ConfigProblemKind.InvalidValue, field,
                $"is {value.ToString(CultureInfo.InvariantCulture)}; it must be between {min} and {int.MaxValue}.");
            return 0;
        }
        return (int)value;
    }

    double Double(ConfigNode parent, string name, double? fallback, string? fieldName = null)
    {
        var field = fieldName ?? name;
        var node = Present(parent, name);
        if (node is null)
        {
            if (fallback is { } value) return value;
            Fail(ConfigProblemKind.MissingField, field, $"has no \"{field}\"; it is required to build the model.");
            return 0;
        }
        if (node.Kind != ConfigNodeKind.Number || !node.TryGetDouble(out var number) || double.IsNaN(number) || double.IsInfinity(number))
        {
            Fail(ConfigProblemKind.InvalidValue, field, $"must be a finite number, found {node.Text}.");
            return 0;
        }
        return number;
    }

    bool Bool(ConfigNode parent, string name, bool fallback)
    {
        var node = Present(parent, name);
        if (node is null) return fallback;
        if (node.Kind != ConfigNodeKind.Bool)
        {
            Fail(ConfigProblemKind.InvalidValue, name, $"must be true or false, found {node.Text}.");
            return fallback;
        }
        return node.Bool;
    }

    void Fail(ConfigProblemKind kind, string field, string detail) => _problem ??= new ConfigProblem(kind, field, detail);

    static string KindName(ConfigNodeKind kind) => kind switch
    {
        ConfigNodeKind.Bool => "a boolean",
        ConfigNodeKind.Number => "Number",
        ConfigNodeKind.String => "String",
        ConfigNodeKind.Array => "Array",
        ConfigNodeKind.Null => "Null",
        _ => "Object",
    };
}
