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

        var catalog = modules.Collect().WithTrackingName(GeneratorStepNames.ModuleSpecList)
            .Select(static (all, _) => new ModuleCatalog(all.Select(m => m.Value).OfType<ClassSpec>()
                .OrderBy(m => m.Type.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(GeneratorStepNames.ModuleCatalog);

        var modelSources = models.Combine(catalog).WithTrackingName(GeneratorStepNames.ModelSpecsWithCatalog)
            .Select(static (pair, _) => pair.Left.Then(spec => Name(spec.Type), spec => ModelEmitter.Render(spec, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModelSources);
        var moduleSources = modules.Combine(catalog).WithTrackingName(GeneratorStepNames.ModuleSpecsWithCatalog)
            .Select(static (pair, _) => pair.Left.Then(spec => Name(spec.Type), spec => ModelEmitter.Render(spec, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModuleSources);

        // The project's .json AdditionalFiles, read once per change of the file; [FromConfig] classes and setups over them pick theirs by path.
        var configFiles = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .WithTrackingName(GeneratorStepNames.JsonAdditionalFiles)
            .Select(static (text, ct) => ReadConfigFile(text, ct))
            .WithTrackingName(GeneratorStepNames.ConfigFileContents)
            .Collect()
            .WithTrackingName(GeneratorStepNames.ConfigFileList)
            .Select(static (files, _) => files.OrderBy(f => f.Path, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.ConfigFiles);

        // One pipeline per family attribute, each step with its own tracking name; [FromConfig] reads its file first.
        var entries = new List<(string Pipeline, IncrementalValueProvider<ImmutableArray<Guarded<CommandEntry>>> List)>();
        foreach (var (attribute, family, pipeline, specsStep, sourcesStep) in FamilyPipelines)
        {
            var specs = context.SyntaxProvider
                .ForAttributeWithMetadataName(attribute, IsClass, (c, ct) => Parse(c, () => FamilyParser.Parse(c, family), ct))
                .WithTrackingName(specsStep);
            var sources = specs.Select(static (spec, _) => spec.Then(s => Name(s.Type), FamilyEmitter.Render))
                .WithTrackingName(sourcesStep);
            context.RegisterSourceOutput(sources, AddSource);
            ReportFromParse(context, specs, pipeline);
            entries.Add((pipeline, EntryList(specs, pipeline, s => Name(s.Type), FamilyEntry)));
        }

        var fromConfigRequests = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FromConfigAttribute, IsClass, static (c, ct) => Parse(c, () => FamilyParser.ParseFromConfig(c), ct))
            .WithTrackingName(GeneratorStepNames.FromConfigRequests);
        var fromConfig = fromConfigRequests.Combine(configFiles).WithTrackingName(GeneratorStepNames.FromConfigRequestsWithFiles)
            .Select(static (pair, _) => pair.Left.Then(r => Name(r.Type), r => FromConfigResolver.Resolution(r, pair.Right)))
            .WithTrackingName(GeneratorStepNames.FromConfigSpecs);
        var fromConfigSources = fromConfig.Select(static (resolved, _) => resolved.Then(r => Name(r.Request.Type), FamilyEmitter.Render))
            .WithTrackingName(GeneratorStepNames.FromConfigSources);
        context.RegisterSourceOutput(fromConfigSources, AddSource);
        ReportFromParse(context, fromConfigRequests, "FromConfig");
        entries.Add(("FromConfig", EntryList(fromConfig, "FromConfig", r => Name(r.Request.Type), r => r.Family is { } spec ? FamilyEntry(spec) : null)));

        var setupSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Parse(c, () => SetupParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.SetupSpecs);
        var resolvedSetups = setupSpecs.Combine(configFiles).WithTrackingName(GeneratorStepNames.SetupSpecsWithFiles)
            .Select(static (pair, _) => pair.Left.Then(s => Name(s.Type), s => SetupParser.ResolveConfigModel(s, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ResolvedSetups);
        var setups = resolvedSetups.Select(static (spec, _) => spec.Then(s => Name(s.Type), SetupEmitter.Render))
            .WithTrackingName(GeneratorStepNames.SetupSources);
        entries.Add(("Setup", EntryList(resolvedSetups, "Setup", s => Name(s.Type),
            s => SetupPlanner.Plan(s).Plan is { } plan ? CommandLineEmitter.Entry(plan) : null)));

        var clientSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Parse(c, () => ClientParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.ClientSpecs);
        var clients = clientSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), ClientEmitter.Render))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        // A generated Main over every model and setup, only in projects that ask for it (MSBuild ModelDslCommandLine=true).
        var commandLineWanted = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.CommandLineBuildProperty, out var value)
                                           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
            .WithTrackingName(GeneratorStepNames.CommandLineWanted);
        // A project with an entry point of its own gets MDSL240 (the analyzer) and no generated Main beside it.
        var userEntryPoint = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => UserEntryPoint.Is(node), static (_, _) => true)
            .WithTrackingName(GeneratorStepNames.UserEntryPoints)
            .Collect()
            .WithTrackingName(GeneratorStepNames.UserEntryPointList)
            .Select(static (found, _) => !found.IsEmpty)
            .WithTrackingName(GeneratorStepNames.HasUserEntryPoint);
        var mainWanted = commandLineWanted.Combine(userEntryPoint).WithTrackingName(GeneratorStepNames.CommandLineWantedAndUserEntryPoint)
            .Select(static (pair, _) => pair.Left && !pair.Right)
            .WithTrackingName(GeneratorStepNames.CommandLineMainWanted);
        // The command line lists every model and setup: the entries of each pipeline gathered into one list.
        var commandEntries = entries.Skip(1).Aggregate(entries[0].List, static (all, next) => all.Combine(next.List)
                .WithTrackingName(GeneratorStepNames.EntriesWith(next.Pipeline))
                .Select(static (pair, _) => pair.Left.AddRange(pair.Right))
                .WithTrackingName(GeneratorStepNames.EntriesThrough(next.Pipeline)))
            .Select(static (all, _) => new Guarded<CommandEntries>(
                new CommandEntries(all.Select(e => e.Value).OfType<CommandEntry>().OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray()),
                all.Select(e => e.Failure).FirstOrDefault(f => f is not null)))
            .WithTrackingName(GeneratorStepNames.CommandLineEntries);
        var commandLine = commandEntries.Combine(mainWanted).WithTrackingName(GeneratorStepNames.CommandLineEntriesAndWanted)
            .Select(static (pair, _) => pair.Right
                ? pair.Left.Then(_ => "the command line", all => CommandLineEmitter.Emit(all.Items))
                : Guarded<GeneratedFile>.Nothing)
            .WithTrackingName(GeneratorStepNames.CommandLineSource);

        foreach (var output in new IncrementalValuesProvider<Guarded<GeneratedFile>>[] { modelSources, moduleSources, setups, clients })
            context.RegisterSourceOutput(output, AddSource);
        context.RegisterSourceOutput(commandLine, AddSource);
        ReportFromParse(context, models, "Model");
        ReportFromParse(context, modules, "Module");
        ReportFromParse(context, setupSpecs, "Setup");
        ReportFromParse(context, clientSpecs, "Client");
    }

    static readonly (string Attribute, FamilyKind Family, string Pipeline, string SpecsStep, string SourcesStep)[] FamilyPipelines =
    {
        (KnownNames.Gpt2Attribute, FamilyKind.Gpt2, "Gpt2", GeneratorStepNames.Gpt2Specs, GeneratorStepNames.Gpt2Sources),
        (KnownNames.LlamaAttribute, FamilyKind.Llama, "Llama", GeneratorStepNames.LlamaSpecs, GeneratorStepNames.LlamaSources),
        (KnownNames.MistralAttribute, FamilyKind.Mistral, "Mistral", GeneratorStepNames.MistralSpecs, GeneratorStepNames.MistralSources),
        (KnownNames.Qwen2Attribute, FamilyKind.Qwen2, "Qwen2", GeneratorStepNames.Qwen2Specs, GeneratorStepNames.Qwen2Sources),
        (KnownNames.Qwen3Attribute, FamilyKind.Qwen3, "Qwen3", GeneratorStepNames.Qwen3Specs, GeneratorStepNames.Qwen3Sources),
        (KnownNames.Phi3Attribute, FamilyKind.Phi3, "Phi3", GeneratorStepNames.Phi3Specs, GeneratorStepNames.Phi3Sources),
        (KnownNames.GemmaAttribute, FamilyKind.Gemma, "Gemma", GeneratorStepNames.GemmaSpecs, GeneratorStepNames.GemmaSources),
    };

    // The command-line entries of one pipeline's classes, in one list. A class whose parse or resolution failed is
    // left out: its own source output already reports the failure, and the command line still lists the others.
    static IncrementalValueProvider<ImmutableArray<Guarded<CommandEntry>>> EntryList<T>(
        IncrementalValuesProvider<Guarded<T>> specs, string pipeline, Func<T, string> subject, Func<T, CommandEntry?> entry) where T : class =>
        specs.Select((spec, _) => spec.Failure is null ? spec.Then(subject, entry) : Guarded<CommandEntry>.Nothing)
            .WithTrackingName(GeneratorStepNames.Entries(pipeline))
            .Collect()
            .WithTrackingName(GeneratorStepNames.EntryList(pipeline));

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
    static void ReportFromParse<T>(IncrementalGeneratorInitializationContext context, IncrementalValuesProvider<Guarded<T>> parsed, string pipeline) where T : class =>
        context.RegisterSourceOutput(parsed.Select(static (g, _) => g.Reports).WithTrackingName(GeneratorStepNames.Reports(pipeline)), static (context, reports) =>
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
