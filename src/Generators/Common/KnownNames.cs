using System.Linq;
using System.Reflection;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.Common;

/// <summary>Metadata names of the Dsl attributes and the runtime types the generated code uses.</summary>
internal static class KnownNames
{
    public const string DslNamespace = "ModelDsl";

    /// <summary>The MSBuild property that asks for a generated command-line <c>Main</c>, as analyzers and generators see it.</summary>
    public const string CommandLineBuildProperty = "build_property.ModelDslCommandLine";

    /// <summary>The class holding the generated command-line <c>Main</c>.</summary>
    public const string CommandLineProgram = "ModelDslProgram";
    public const string ModelAttribute = "ModelDsl.ModelAttribute";
    public const string ModuleAttribute = "ModelDsl.ModuleAttribute";
    public const string Gpt2Attribute = "ModelDsl.Gpt2Attribute";
    public const string LlamaAttribute = "ModelDsl.LlamaAttribute";
    public const string MistralAttribute = "ModelDsl.MistralAttribute";
    public const string Qwen2Attribute = "ModelDsl.Qwen2Attribute";
    public const string Qwen3Attribute = "ModelDsl.Qwen3Attribute";
    public const string Phi3Attribute = "ModelDsl.Phi3Attribute";
    public const string GemmaAttribute = "ModelDsl.GemmaAttribute";
    public const string FromConfigAttribute = "ModelDsl.FromConfigAttribute";

    /// <summary>Whether an attribute (by its full name) declares a model: the generated class is a TorchSharp module.</summary>
    public static bool IsModelAttribute(string? fullName) => fullName is ModelAttribute or Gpt2Attribute or LlamaAttribute
        or MistralAttribute or Qwen2Attribute or Qwen3Attribute or Phi3Attribute or GemmaAttribute or FromConfigAttribute;

    public const string FineTuneAttribute = "ModelDsl.FineTuneAttribute`1";
    public const string InferenceClientAttribute = "ModelDsl.InferenceClientAttribute`1";
    public const string PromptAttribute = "ModelDsl.PromptAttribute";
    public const string ExampleAttribute = "ModelDsl.ExampleAttribute";

    /// <summary>The runtime interfaces a custom model may implement to be tuned on preferences (named, never referenced).</summary>
    public const string CausalLanguageModelInterface = "ModelDsl.Models.ICausalLanguageModel";
    public const string HiddenStateModelInterface = "ModelDsl.Models.IHiddenStateModel";

    /// <summary>The family attributes, each with the family it declares.</summary>
    public static readonly (string MetadataName, ModelDsl.Families.FamilyKind Family)[] FamilyAttributes =
    {
        (Gpt2Attribute, ModelDsl.Families.FamilyKind.Gpt2),
        (LlamaAttribute, ModelDsl.Families.FamilyKind.Llama),
        (MistralAttribute, ModelDsl.Families.FamilyKind.Mistral),
        (Qwen2Attribute, ModelDsl.Families.FamilyKind.Qwen2),
        (Qwen3Attribute, ModelDsl.Families.FamilyKind.Qwen3),
        (Phi3Attribute, ModelDsl.Families.FamilyKind.Phi3),
        (GemmaAttribute, ModelDsl.Families.FamilyKind.Gemma),
    };

    /// <summary>The family <paramref name="metadataName"/> declares, or null when it is not a family attribute.</summary>
    public static ModelDsl.Families.FamilyKind? FamilyOf(string? metadataName)
    {
        foreach (var (name, family) in FamilyAttributes)
            if (name == metadataName) return family;
        return null;
    }

    /// <summary>Whether <paramref name="metadataName"/> declares a language model (a family attribute or <c>[FromConfig]</c>).</summary>
    public static bool IsLanguageModelAttribute(string? metadataName) => FamilyOf(metadataName) is not null || metadataName == FromConfigAttribute;

    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Device = "global::TorchSharp.torch.Device";
    public const string ScalarType = "global::TorchSharp.torch.ScalarType";
    public const string Layers = "global::ModelDsl.Layers.";
    public const string Models = "global::ModelDsl.Models.";

    /// <summary>The version of the ModelDsl package this generator ships in.</summary>
    public static readonly string Version = typeof(KnownNames).Assembly.GetCustomAttributes(typeof(AssemblyMetadataAttribute), false)
        .OfType<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ModelDslVersion")?.Value ?? "0.0.0";

    public static readonly string GeneratedCodeAttribute =
        $"[global::System.CodeDom.Compiler.GeneratedCode(\"ModelDsl.Generators\", \"{Version}\")]";

    /// <summary>The runtime type that a member carrying <paramref name="layer"/> must be declared with.</summary>
    public static string RuntimeTypeFor(LayerSpec layer) => layer switch
    {
        LinearSpec => Layers + "Linear",
        EmbeddingSpec => Layers + "Embedding",
        LayerNormSpec => Layers + "LayerNorm",
        RmsNormSpec => Layers + "RmsNorm",
        DropoutSpec => Layers + "Dropout",
        AttentionSpec => Layers + "CausalSelfAttention",
        MlpSpec => Layers + "Mlp",
        RepeatSpec repeat => Layers + "ModuleList<" + repeat.BlockType + ">",
        _ => "",
    };
}
