using System;
using System.Collections.Generic;
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
using ModelDsl.Generators.Diagnostics;
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
            .ForAttributeWithMetadataName(KnownNames.ModuleAttribute, IsClass, static (c, ct) => Parse(c, () => ModelParser.ParseClass(c, ClassRole.Module, ct), ct))
            .WithTrackingName(GeneratorStepNames.ModuleSpecs);
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModelAttribute, IsClass, static (c, ct) => Parse(c, () => ModelParser.ParseClass(c, ClassRole.Model, ct), ct))
            .WithTrackingName(GeneratorStepNames.ModelSpecs);

        var catalog = modules.Collect()
            .Select(static (all, _) => new ModuleCatalog(all.Select(m => m.Value).OfType<ClassSpec>()
                .OrderBy(m => m.Type.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(GeneratorStepNames.ModuleCatalog);

        var modelSources = models.Combine(catalog)
            .Select(static (pair, _) => pair.Left.Then(spec => Name(spec.Type), spec => ModelEmitter.Render(spec, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModelSources);
        var moduleSources = modules.Combine(catalog)
            .Select(static (pair, _) => pair.Left.Then(spec => Name(spec.Type), spec => ModelEmitter.Render(spec, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModuleSources);

        // The project's .json AdditionalFiles, read once per change of the file; [FromConfig] classes and setups over them pick theirs by path.
        var configFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(static (text, ct) => ReadConfigFile(text, ct))
            .Collect()
            .Select(static (files, _) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.ConfigFiles);

        // One pipeline per family attribute, each step with its own tracking name; [FromConfig] reads its file first.
        var entries = new List<IncrementalValueProvider<ImmutableArray<Guarded<CommandEntry>>>>();
        foreach (var (attribute, family, specsStep, sourcesStep) in FamilyPipelines)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, IsClass, (c, ct) => Parse(c, () => FamilyParser.Parse(c, family), ct))
                .WithTrackingName(specsStep);
            var sources = specs.Select(static (spec, _) => spec.Then(s => Name(s.Type), FamilyEmitter.Render))
                .WithTrackingName(sourcesStep);
            context.RegisterSourceOutput(sources, AddSource);
            ReportFromParse(context, specs);
            entries.Add(specs.Select(static (spec, _) => spec.Then(s => Name(s.Type), FamilyEntry)).Collect());
        }

        var fromConfigRequests = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FromConfigAttribute, IsClass, static (c, ct) => Parse(c, () => FamilyParser.ParseFromConfig(c), ct))
            .WithTrackingName(GeneratorStepNames.FromConfigRequests);
        var fromConfig = fromConfigRequests.Combine(configFiles)
            .Select(static (pair, _) => pair.Left.Then(r => Name(r.Type), r => FromConfigResolver.Resolution(r, pair.Right)))
            .WithTrackingName(GeneratorStepNames.FromConfigSpecs);
        var fromConfigSources = fromConfig.Select(static (resolved, _) => resolved.Then(r => Name(r.Request.Type), FamilyEmitter.Render))
            .WithTrackingName(GeneratorStepNames.FromConfigSources);
        context.RegisterSourceOutput(fromConfigSources, AddSource);
        ReportFromParse(context, fromConfigRequests);
        entries.Add(fromConfig.Select(static (resolved, _) => resolved.Then(r => Name(r.Request.Type), r => r.Family is { } spec ? FamilyEntry(spec) : null)).Collect());

        var setupSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Parse(c, () => SetupParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.SetupSpecs);
        var resolvedSetups = setupSpecs.Combine(configFiles)
            .Select(static (pair, _) => pair.Left.Then(s => Name(s.Type), s => SetupParser.ResolveConfigModel(s, pair.Right)));
        var setups = resolvedSetups.Select(static (spec, _) => spec.Then(s => Name(s.Type), SetupEmitter.Render))
            .WithTrackingName(GeneratorStepNames.SetupSources);
        entries.Add(resolvedSetups.Select(static (spec, _) => spec.Then(s => Name(s.Type),
            s => SetupPlanner.Plan(s).Plan is { } plan ? CommandLineEmitter.Entry(plan) : null)).Collect());

        var clientSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Parse(c, () => ClientParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.ClientSpecs);
        var clients = clientSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), ClientEmitter.Render))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        // A generated Main over every model and setup, only in projects that ask for it (MSBuild ModelDslCommandLine=true).
        var commandLineWanted = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.CommandLineBuildProperty, out var value)
                                           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
        // The command line lists every model and setup: the entries of each pipeline gathered into one list.
        var commandEntries = entries.Aggregate((all, next) => all.Combine(next).Select(static (pair, _) => pair.Left.AddRange(pair.Right)))
            .Select(static (all, _) => new Guarded<CommandEntries>(
                new CommandEntries(all.Select(e => e.Value).OfType<CommandEntry>().OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray()),
                all.Select(e => e.Failure).FirstOrDefault(f => f is not null)))
            .WithTrackingName(GeneratorStepNames.CommandLineEntries);
        var commandLine = commandEntries.Combine(commandLineWanted)
            .Select(static (pair, _) => pair.Right
                ? pair.Left.Then(_ => "the command line", all => CommandLineEmitter.Emit(all.Items))
                : Guarded<GeneratedFile>.Nothing)
            .WithTrackingName(GeneratorStepNames.CommandLineSource);

        foreach (var output in new IncrementalValuesProvider<Guarded<GeneratedFile>>[] { modelSources, moduleSources, setups, clients })
            context.RegisterSourceOutput(output, AddSource);
        context.RegisterSourceOutput(commandLine, AddSource);
        ReportFromParse(context, models);
        ReportFromParse(context, modules);
        ReportFromParse(context, setupSpecs);
        ReportFromParse(context, clientSpecs);
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

    // A family class offered by the command line once it is valid.
    static CommandEntry? FamilyEntry(FamilySpec spec) => FamilyValidator.Validate(spec).Count > 0 ? null : CommandLineEmitter.Entry(spec);

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

    static void AddSource(SourceProductionContext context, Guarded<GeneratedFile> output)
    {
        if (output.Failure is { } failure)
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.GeneratorFailed, Location.None,
                $"ModelDsl's generator failed on {failure.Subject} ({failure.Error}); its generated members are missing. This is a bug in ModelDsl: please report it with this message."));
        else if (output.Value is { } file)
            context.AddSource(file.HintName, file.Text);
    }

    // Findings C# would hide by stopping before analyzers run (see GeneratorReports), reported by the generator.
    static void ReportFromParse<T>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<Guarded<T>> parsed) where T : class =>
        context.RegisterSourceOutput(parsed.Select(static (g, _) => g.Reports), static (context, reports) =>
        {
            foreach (var report in reports)
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ById[report.Id], report.Spot?.ToLocation() ?? Location.None, report.Message));
        });

    /// <summary>Test hook: throws inside the parse step of the class with this name, to prove failures are reported.</summary>
    internal static string? FailWhenParsing { get; set; }

    static Guarded<T> Parse<T>(GeneratorAttributeSyntaxContext context, Func<T?> parse, CancellationToken cancellationToken) where T : class
    {
        var parsed = Guarded<T>.Run(() => $"'{context.TargetSymbol.ToDisplayString()}'", () =>
        {
            if (FailWhenParsing is { } name && context.TargetSymbol.Name == name)
                throw new InvalidOperationException("failure injected by a test");
            return parse();
        });
        if (parsed.Failure is not null || context.TargetSymbol is not INamedTypeSymbol type) return parsed;
        var reports = Guarded<ReportList>.Run(() => $"'{type.ToDisplayString()}'", () => new ReportList(GeneratorReports.For(type, cancellationToken)));
        return reports.Failure is { } failure ? new Guarded<T>(null, failure) : parsed with { Reports = reports.Value!.Items };
    }

    static string Name(TypeLocation type) => $"'{type.FullyQualifiedName.Replace("global::", "")}'";
}
