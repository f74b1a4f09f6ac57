namespace ModelDsl.Generators;

/// <summary>Names of the incremental pipeline's steps, so tests can assert what was cached after an edit.</summary>
public static class GeneratorStepNames
{
    /// <summary>Parsed <c>[Model]</c> classes.</summary>
    public const string ModelSpecs = "ModelSpecs";

    /// <summary>Parsed <c>[Module]</c> classes.</summary>
    public const string ModuleSpecs = "ModuleSpecs";

    /// <summary>All <c>[Module]</c> classes, collected so models can resolve their blocks.</summary>
    public const string ModuleCatalog = "ModuleCatalog";

    /// <summary>Rendered source of <c>[Model]</c> classes.</summary>
    public const string ModelSources = "ModelSources";

    /// <summary>Rendered source of <c>[Module]</c> classes.</summary>
    public const string ModuleSources = "ModuleSources";

    /// <summary>Parsed <c>[Gpt2]</c> classes.</summary>
    public const string Gpt2Specs = "Gpt2Specs";

    /// <summary>Parsed <c>[Llama]</c> classes.</summary>
    public const string LlamaSpecs = "LlamaSpecs";

    /// <summary>Parsed <c>[Mistral]</c> classes.</summary>
    public const string MistralSpecs = "MistralSpecs";

    /// <summary>Parsed <c>[Qwen2]</c> classes.</summary>
    public const string Qwen2Specs = "Qwen2Specs";

    /// <summary>Parsed <c>[Qwen3]</c> classes.</summary>
    public const string Qwen3Specs = "Qwen3Specs";

    /// <summary>Parsed <c>[Phi3]</c> classes.</summary>
    public const string Phi3Specs = "Phi3Specs";

    /// <summary>Parsed <c>[Gemma]</c> classes.</summary>
    public const string GemmaSpecs = "GemmaSpecs";

    /// <summary>Parsed <c>[FromConfig]</c> classes, before their files are read.</summary>
    public const string FromConfigRequests = "FromConfigRequests";

    /// <summary><c>[FromConfig]</c> classes resolved against their <c>config.json</c> (the family spec, or nothing when the file has a problem).</summary>
    public const string FromConfigSpecs = "FromConfigSpecs";

    /// <summary>The project's <c>.json</c> AdditionalFiles, by path.</summary>
    public const string ConfigFiles = "ConfigFiles";

    /// <summary>Rendered source of <c>[Gpt2]</c> classes.</summary>
    public const string Gpt2Sources = "Gpt2Sources";

    /// <summary>Rendered source of <c>[Llama]</c> classes.</summary>
    public const string LlamaSources = "LlamaSources";

    /// <summary>Rendered source of <c>[Mistral]</c> classes.</summary>
    public const string MistralSources = "MistralSources";

    /// <summary>Rendered source of <c>[Qwen2]</c> classes.</summary>
    public const string Qwen2Sources = "Qwen2Sources";

    /// <summary>Rendered source of <c>[Qwen3]</c> classes.</summary>
    public const string Qwen3Sources = "Qwen3Sources";

    /// <summary>Rendered source of <c>[Phi3]</c> classes.</summary>
    public const string Phi3Sources = "Phi3Sources";

    /// <summary>Rendered source of <c>[Gemma]</c> classes.</summary>
    public const string GemmaSources = "GemmaSources";

    /// <summary>Rendered source of <c>[FromConfig]</c> classes.</summary>
    public const string FromConfigSources = "FromConfigSources";

    /// <summary>Parsed <c>[FineTune&lt;T&gt;]</c> setups, each with a description of its model.</summary>
    public const string SetupSpecs = "SetupSpecs";

    /// <summary>Rendered source of setups.</summary>
    public const string SetupSources = "SetupSources";

    /// <summary>Parsed <c>[InferenceClient&lt;T&gt;]</c> classes.</summary>
    public const string ClientSpecs = "ClientSpecs";

    /// <summary>Rendered source of inference clients.</summary>
    public const string ClientSources = "ClientSources";

    /// <summary>The models and setups a generated command line offers.</summary>
    public const string CommandLineEntries = "CommandLineEntries";

    /// <summary>The rendered command line (<c>ModelDslProgram.Main</c>), when the project asks for it.</summary>
    public const string CommandLineSource = "CommandLineSource";
}
