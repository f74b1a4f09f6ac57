using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Clients;
using ModelDsl.Generators.CommandLine;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Families;
using ModelDsl.Generators.Families;
using ModelDsl.Generators.Families.FromConfig;
using ModelDsl.Generators.Setups;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators;

/// <summary>
/// Completes every class marked <c>[Model]</c>, <c>[Module]</c>, a family attribute (<c>[Gpt2]</c>, <c>[Llama]</c>,
/// <c>[Mistral]</c>, <c>[Qwen2]</c>, <c>[Qwen3]</c>, <c>[Phi3]</c>, <c>[Gemma]</c>) or <c>[FromConfig]</c> into a TorchSharp module,
/// and every setup and client over one.
/// Pipeline: attribute → equatable spec → (validate, lay out parameters) → source text. Invalid declarations
/// produce no source; the analyzers explain why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var modules = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModuleAttribute, IsClass, static (c, ct) => Guard(() => ModelParser.ParseClass(c, ClassRole.Module, ct)))
            .Where(static spec => spec is not null).Select(static (spec, _) => spec!)
            .WithTrackingName(GeneratorStepNames.ModuleSpecs);

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModelAttribute, IsClass, static (c, ct) => Guard(() => ModelParser.ParseClass(c, ClassRole.Model, ct)))
            .Where(static spec => spec is not null).Select(static (spec, _) => spec!)
            .WithTrackingName(GeneratorStepNames.ModelSpecs);

        var catalog = modules.Collect()
            .Select(static (all, _) => new ModuleCatalog(all.OrderBy(m => m.Type.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(GeneratorStepNames.ModuleCatalog);

        var modelSources = models.Combine(catalog)
            .Select(static (pair, _) => Guard(() => ModelEmitter.Render(pair.Left, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModelSources);
        var moduleSources = modules.Combine(catalog)
            .Select(static (pair, _) => Guard(() => ModelEmitter.Render(pair.Left, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModuleSources);

        // The project's .json AdditionalFiles, read once per change of the file; [FromConfig] classes and setups over them pick theirs by path.
        var configFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => ReadConfigFile(text, ct))
            .Collect()
            .Select(static (files, _) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.ConfigFiles);

        var setupPlans = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Guard(() => SetupParser.Parse(c, ct)))
            .Combine(configFiles)
            .Select(static (pair, _) => Guard(() => pair.Left is null ? null
                : SetupParser.ResolveConfigModel(pair.Left, pair.Right) is { } spec ? SetupPlanner.Plan(spec).Plan : null))
            .WithTrackingName(GeneratorStepNames.SetupSpecs);
        var setups = setupPlans.Select(static (plan, _) => Guard(() => plan is null ? null : SetupEmitter.Emit(plan)))
            .WithTrackingName(GeneratorStepNames.SetupSources);

        var clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Guard(() => ClientParser.Parse(c, ct)))
            .WithTrackingName(GeneratorStepNames.ClientSpecs)
            .Select(static (spec, _) => Guard(() => spec is null || ClientRules.Validate(spec).Any(f => !f.IsWarning) ? null : ClientEmitter.Emit(spec)))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        // The command line lists every model and setup: the entries of each family's pipeline are gathered into one list.
        var entries = setupPlans.Select(static (plan, _) => plan is null ? null : CommandLineEmitter.Entry(plan)).Collect();

        // One pipeline per family attribute, each step with its own tracking name; [FromConfig] reads its file first.
        foreach (var (attribute, family, specsStep, sourcesStep) in FamilyPipelines)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, IsClass, (c, _) => Guard(() => FamilyParser.Parse(c, family)))
                .Select(static (spec, _) => spec is null || FamilyValidator.Validate(spec).Count > 0 ? null : spec)
                .WithTrackingName(specsStep);
            RegisterFamily(context, specs, sourcesStep, ref entries);
        }
        var fromConfig = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FromConfigAttribute, IsClass, static (c, _) => Guard(() => FamilyParser.ParseFromConfig(c)))
            .WithTrackingName(GeneratorStepNames.FromConfigRequests)
            .Combine(configFiles)
            .Select(static (pair, _) => Guard(() => pair.Left is null || FromConfigResolver.Validate(pair.Left, pair.Right).Count > 0
                ? null
                : FromConfigResolver.Resolve(pair.Left, pair.Right).Spec))
            .WithTrackingName(GeneratorStepNames.FromConfigSpecs);
        RegisterFamily(context, fromConfig, GeneratorStepNames.FromConfigSources, ref entries);

        // A generated Main over every model and setup, only in projects that ask for it (MSBuild ModelDslCommandLine=true).
        var commandLineWanted = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.ModelDslCommandLine", out var value)
                                           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
        var commandEntries = entries
            .Select(static (all, _) => all.Where(e => e is not null).Select(e => e!).OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.CommandLineEntries);
        var commandLine = commandEntries.Combine(commandLineWanted)
            .Select(static (pair, _) => pair.Right ? Guard(() => CommandLineEmitter.Emit(pair.Left)) : null);

        context.RegisterSourceOutput(modelSources, AddSource);
        context.RegisterSourceOutput(clients, AddSource);
        context.RegisterSourceOutput(setups, AddSource);
        context.RegisterSourceOutput(moduleSources, AddSource);
        context.RegisterSourceOutput(commandLine, AddSource);
    }

    static readonly (string Attribute, FamilyKind Family, string SpecsStep, string SourcesStep)[] FamilyPipelines =
    {
        (KnownNames.Gpt2Attribute, FamilyKind.Gpt2, GeneratorStepNames.Gpt2Specs, GeneratorStepNames.Gpt2Sources),
        (KnownNames.LlamaAttribute, FamilyKind.Llama, GeneratorStepNames.LlamaSpecs, GeneratorStepNames.LlamaSources),
        (KnownNames.MistralAttribute, FamilyKind.Mistral, GeneratorStepNames.MistralSpecs, GeneratorStepNames.MistralSources),
        (KnownNames.Qwen2Attribute, FamilyKind.Qwen2, GeneratorStepNames.Qwen2Specs, GeneratorStepNames.Qwen2Sources),
        (KnownNames.Qwen3Attribute, FamilyKind.Qwen3, GeneratorStepNames.Qwen3Specs, GeneratorStepNames.Qwen3Sources),
        (KnownNames.Phi3Attribute, FamilyKind.Phi3, GeneratorStepNames.Phi3Specs, GeneratorStepNames.Phi3Sources),
        (KnownNames.GemmaAttribute, FamilyKind.Gemma, GeneratorStepNames.GemmaSpecs, GeneratorStepNames.GemmaSources),
    };

    // Emits a family's valid specs and adds them to the command line's entries.
    static void RegisterFamily(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<FamilySpec?> specs, string sourcesStep,
        ref IncrementalValueProvider<ImmutableArray<CommandEntry?>> entries)
    {
        var sources = specs.Select(static (spec, _) => Guard(() => spec is null ? null : FamilyEmitter.Emit(spec)))
            .WithTrackingName(sourcesStep);
        context.RegisterSourceOutput(sources, AddSource);
        entries = entries.Combine(specs.Select(static (spec, _) => spec is null ? null : CommandLineEmitter.Entry(spec)).Collect())
            .Select(static (pair, _) => pair.Left.AddRange(pair.Right));
    }

    // The text of a .json AdditionalFile; a file too large to be a config.json is not kept (its path is enough to report it).
    static ConfigFile ReadConfigFile(AdditionalText text, CancellationToken cancellationToken)
    {
        var path = ConfigFile.Normalize(text.Path);
        try
        {
            var source = text.GetText(cancellationToken);
            return new ConfigFile(path, source is null ? null : source.Length > JsonParser.MaxLength ? "" : source.ToString(), source is { Length: > JsonParser.MaxLength });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ConfigFile(path, null, false);
        }
    }

    static bool IsClass(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax;

    static void AddSource(SourceProductionContext context, GeneratedFile? file)
    {
        if (file is not null) context.AddSource(file.HintName, file.Text);
    }

    // The generator must never throw: an exception becomes CS8785 and the user loses every generated
    // file at once. A bug here costs one class's output instead; cancellation still propagates.
    static T? Guard<T>(Func<T?> work) where T : class
    {
        try
        {
            return work();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }
}
