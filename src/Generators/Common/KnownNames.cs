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
    /// <summary>Whether an attribute (by its full name) declares a model: the generated class is a TorchSharp module.</summary>
    public static bool IsModelAttribute(string? fullName) => fullName is ModelAttribute or Gpt2Attribute or LlamaAttribute;

    public const string FineTuneAttribute = "ModelDsl.FineTuneAttribute`1";
    public const string InferenceClientAttribute = "ModelDsl.InferenceClientAttribute`1";
    public const string PromptAttribute = "ModelDsl.PromptAttribute";
    public const string ExampleAttribute = "ModelDsl.ExampleAttribute";

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
