using System.Collections.Generic;

namespace ModelDsl.Generators;

/// <summary>
/// Names of the incremental pipeline's steps, so tests can assert what was cached after an edit. Every step the
/// generator builds carries one of these names, and no two steps share one. Steps repeated once per declaration
/// pipeline (reports, command-line entries) are named after their pipeline, one of <see cref="Pipelines"/>.
/// </summary>
public static class GeneratorStepNames
{
    /// <summary>Parsed <c>[Model]</c> classes.</summary>
    public const string ModelSpecs = "ModelSpecs";

    /// <summary>Parsed <c>[Module]</c> classes.</summary>
    public const string ModuleSpecs = "ModuleSpecs";

    /// <summary>The parsed <c>[Module]</c> classes gathered into one list.</summary>
    public const string ModuleSpecList = "ModuleSpecList";

    /// <summary>All <c>[Module]</c> classes, collected so models can resolve their blocks.</summary>
    public const string ModuleCatalog = "ModuleCatalog";

    /// <summary>Each <c>[Model]</c> class paired with the module catalog.</summary>
    public const string ModelSpecsWithCatalog = "ModelSpecsWithCatalog";

    /// <summary>Each <c>[Module]</c> class paired with the module catalog.</summary>
    public const string ModuleSpecsWithCatalog = "ModuleSpecsWithCatalog";

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

    /// <summary>The project's AdditionalFiles whose name ends in <c>.json</c>.</summary>
    public const string JsonAdditionalFiles = "JsonAdditionalFiles";

    /// <summary>The text of each <c>.json</c> AdditionalFile, read once per change of the file.</summary>
    public const string ConfigFileContents = "ConfigFileContents";

    /// <summary>The read <c>.json</c> AdditionalFiles gathered into one list, in the order the driver gives them.</summary>
    public const string ConfigFileList = "ConfigFileList";

    /// <summary>The project's <c>.json</c> AdditionalFiles, by path.</summary>
    public const string ConfigFiles = "ConfigFiles";

    /// <summary>Each <c>[FromConfig]</c> class paired with the project's <c>.json</c> files.</summary>
    public const string FromConfigRequestsWithFiles = "FromConfigRequestsWithFiles";

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

    /// <summary>Each setup paired with the project's <c>.json</c> files.</summary>
    public const string SetupSpecsWithFiles = "SetupSpecsWithFiles";

    /// <summary>Setups whose model is a <c>[FromConfig]</c> class, with that model's description read from its file.</summary>
    public const string ResolvedSetups = "ResolvedSetups";

    /// <summary>Rendered source of setups.</summary>
    public const string SetupSources = "SetupSources";

    /// <summary>Parsed <c>[InferenceClient&lt;T&gt;]</c> classes.</summary>
    public const string ClientSpecs = "ClientSpecs";

    /// <summary>Rendered source of inference clients.</summary>
    public const string ClientSources = "ClientSources";

    /// <summary>The models and setups a generated command line offers.</summary>
    public const string CommandLineEntries = "CommandLineEntries";

    /// <summary>Whether the project asks for a command line (MSBuild <c>ModelDslCommandLine=true</c>).</summary>
    public const string CommandLineWanted = "CommandLineWanted";

    /// <summary>Each entry point the project writes itself (top-level statements, a <c>static Main</c>).</summary>
    public const string UserEntryPoints = "UserEntryPoints";

    /// <summary>The project's own entry points gathered into one list.</summary>
    public const string UserEntryPointList = "UserEntryPointList";

    /// <summary>Whether the project has an entry point of its own.</summary>
    public const string HasUserEntryPoint = "HasUserEntryPoint";

    /// <summary>Whether the project asks for a command line, paired with whether it has an entry point of its own.</summary>
    public const string CommandLineWantedAndUserEntryPoint = "CommandLineWantedAndUserEntryPoint";

    /// <summary>Whether to generate <c>Main</c>: asked for, and no entry point of the project's own (MDSL240) is in the way.</summary>
    public const string CommandLineMainWanted = "CommandLineMainWanted";

    /// <summary>The command line's entries paired with whether to generate it.</summary>
    public const string CommandLineEntriesAndWanted = "CommandLineEntriesAndWanted";

    /// <summary>The rendered command line (<c>ModelDslProgram.Main</c>), when the project asks for it.</summary>
    public const string CommandLineSource = "CommandLineSource";

    /// <summary>
    /// The declaration pipelines, in the order their command-line entries are gathered: each has a parse step
    /// (<c>Gpt2Specs</c>, …; <c>FromConfigRequests</c> for <c>[FromConfig]</c>) and a <see cref="Reports"/> step.
    /// </summary>
    public static IReadOnlyList<string> Pipelines { get; } =
        ["Model", "Module", "Gpt2", "Llama", "Mistral", "Qwen2", "Qwen3", "Phi3", "Gemma", "FromConfig", "Setup", "Client"];

    /// <summary>The pipelines whose classes the generated command line offers (the families, <c>[FromConfig]</c> and setups).</summary>
    public static IReadOnlyList<string> CommandLinePipelines { get; } =
        ["Gpt2", "Llama", "Mistral", "Qwen2", "Qwen3", "Phi3", "Gemma", "FromConfig", "Setup"];

    /// <summary>The diagnostics the generator reports itself for each class of <paramref name="pipeline"/>.</summary>
    public static string Reports(string pipeline) => pipeline + "Reports";

    /// <summary>Each class of <paramref name="pipeline"/> as a command-line entry (nothing for an invalid or failed class).</summary>
    public static string Entries(string pipeline) => pipeline + "Entries";

    /// <summary>The command-line entries of <paramref name="pipeline"/> gathered into one list.</summary>
    public static string EntryList(string pipeline) => pipeline + "EntryList";

    /// <summary>The entries gathered so far paired with those of <paramref name="pipeline"/>.</summary>
    public static string EntriesWith(string pipeline) => "CommandLineEntriesWith" + pipeline;

    /// <summary>The entries of every pipeline up to and including <paramref name="pipeline"/>, in one list.</summary>
    public static string EntriesThrough(string pipeline) => "CommandLineEntriesThrough" + pipeline;
}
