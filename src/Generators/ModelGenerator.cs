using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Clients;
using ModelDsl.Generators.CommandLine;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Families;
using ModelDsl.Generators.Setups;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators;

/// <summary>
/// Completes every class marked <c>[Model]</c>, <c>[Module]</c>, <c>[Gpt2]</c> or <c>[Llama]</c> into a TorchSharp module.
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

        var gpt2Specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.Gpt2Attribute, IsClass, static (c, ct) => Parse(c, () => FamilyParser.ParseGpt2(c), ct))
            .WithTrackingName(GeneratorStepNames.Gpt2Specs);
        var gpt2 = gpt2Specs.Select(static (spec, _) => spec.Then(s => Name(s.Type), FamilyEmitter.Render))
            .WithTrackingName(GeneratorStepNames.Gpt2Sources);
        var llamaSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.LlamaAttribute, IsClass, static (c, ct) => Parse(c, () => FamilyParser.ParseLlama(c), ct))
            .WithTrackingName(GeneratorStepNames.LlamaSpecs);
        var llama = llamaSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), FamilyEmitter.Render))
            .WithTrackingName(GeneratorStepNames.LlamaSources);

        var setupSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Parse(c, () => SetupParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.SetupSpecs);
        var setups = setupSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), SetupEmitter.Render))
            .WithTrackingName(GeneratorStepNames.SetupSources);

        var clientSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Parse(c, () => ClientParser.Parse(c, ct), ct))
            .WithTrackingName(GeneratorStepNames.ClientSpecs);
        var clients = clientSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), ClientEmitter.Render))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        // A generated Main over every model and setup, only in projects that ask for it (MSBuild ModelDslCommandLine=true).
        var commandLineWanted = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.CommandLineBuildProperty, out var value)
                                           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
        var entries = gpt2Specs.Select(static (spec, _) => spec.Then(s => Name(s.Type), s => FamilyValidator.Validate(s).Count > 0 ? null : CommandLineEmitter.Entry(s))).Collect()
            .Combine(llamaSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), s => FamilyValidator.Validate(s).Count > 0 ? null : CommandLineEmitter.Entry(s))).Collect())
            .Combine(setupSpecs.Select(static (spec, _) => spec.Then(s => Name(s.Type), s => SetupPlanner.Plan(s).Plan is { } plan ? CommandLineEmitter.Entry(plan) : null)).Collect())
            .Select(static (all, _) => all.Left.Left.Concat(all.Left.Right).Concat(all.Right).ToList())
            .Select(static (all, _) => new Guarded<CommandEntries>(
                new CommandEntries(all.Select(e => e.Value).OfType<CommandEntry>().OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray()),
                all.Select(e => e.Failure).FirstOrDefault(f => f is not null)))
            .WithTrackingName(GeneratorStepNames.CommandLineEntries);
        var commandLine = entries.Combine(commandLineWanted)
            .Select(static (pair, _) => pair.Right
                ? pair.Left.Then(_ => "the command line", all => CommandLineEmitter.Emit(all.Items))
                : Guarded<GeneratedFile>.Nothing)
            .WithTrackingName(GeneratorStepNames.CommandLineSource);

        foreach (var output in new IncrementalValuesProvider<Guarded<GeneratedFile>>[] { modelSources, moduleSources, gpt2, llama, setups, clients })
            context.RegisterSourceOutput(output, AddSource);
        context.RegisterSourceOutput(commandLine, AddSource);
        ReportFromParse(context, models);
        ReportFromParse(context, modules);
        ReportFromParse(context, gpt2Specs);
        ReportFromParse(context, llamaSpecs);
        ReportFromParse(context, setupSpecs);
        ReportFromParse(context, clientSpecs);
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
