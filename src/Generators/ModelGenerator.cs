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

        var gpt2Specs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.Gpt2Attribute, IsClass, static (c, _) => Guard(() => FamilyParser.ParseGpt2(c)))
            .Select(static (spec, _) => spec is null || FamilyValidator.Validate(spec).Count > 0 ? null : spec)
            .WithTrackingName(GeneratorStepNames.Gpt2Specs);
        var gpt2 = gpt2Specs.Select(static (spec, _) => Guard(() => spec is null ? null : FamilyEmitter.EmitGpt2(spec)))
            .WithTrackingName(GeneratorStepNames.FamilySources);
        var llamaSpecs = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.LlamaAttribute, IsClass, static (c, _) => Guard(() => FamilyParser.ParseLlama(c)))
            .Select(static (spec, _) => spec is null || FamilyValidator.Validate(spec).Count > 0 ? null : spec)
            .WithTrackingName(GeneratorStepNames.LlamaSpecs);
        var llama = llamaSpecs.Select(static (spec, _) => Guard(() => spec is null ? null : FamilyEmitter.EmitLlama(spec)))
            .WithTrackingName(GeneratorStepNames.FamilySources);

        var setupPlans = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Guard(() => SetupParser.Parse(c, ct)))
            .Select(static (spec, _) => Guard(() => spec is null ? null : SetupPlanner.Plan(spec).Plan))
            .WithTrackingName(GeneratorStepNames.SetupSpecs);
        var setups = setupPlans.Select(static (plan, _) => Guard(() => plan is null ? null : SetupEmitter.Emit(plan)))
            .WithTrackingName(GeneratorStepNames.SetupSources);

        var clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Guard(() => ClientParser.Parse(c, ct)))
            .WithTrackingName(GeneratorStepNames.ClientSpecs)
            .Select(static (spec, _) => Guard(() => spec is null || ClientRules.Validate(spec).Any(f => !f.IsWarning) ? null : ClientEmitter.Emit(spec)))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        // A generated Main over every model and setup, only in projects that ask for it (MSBuild ModelDslCommandLine=true).
        var commandLineWanted = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(KnownNames.CommandLineBuildProperty, out var value)
                                           && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase));
        var entries = gpt2Specs.Select(static (spec, _) => spec is null ? null : CommandLineEmitter.Entry(spec)).Collect()
            .Combine(llamaSpecs.Select(static (spec, _) => spec is null ? null : CommandLineEmitter.Entry(spec)).Collect())
            .Combine(setupPlans.Select(static (plan, _) => plan is null ? null : CommandLineEmitter.Entry(plan)).Collect())
            .Select(static (all, _) => all.Left.Left.Concat(all.Left.Right).Concat(all.Right)
                .Where(e => e is not null).Select(e => e!).OrderBy(e => e.TypeName, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(GeneratorStepNames.CommandLineEntries);
        var commandLine = entries.Combine(commandLineWanted)
            .Select(static (pair, _) => pair.Right ? Guard(() => CommandLineEmitter.Emit(pair.Left)) : null);

        context.RegisterSourceOutput(modelSources, AddSource);
        context.RegisterSourceOutput(clients, AddSource);
        context.RegisterSourceOutput(setups, AddSource);
        context.RegisterSourceOutput(moduleSources, AddSource);
        context.RegisterSourceOutput(gpt2, AddSource);
        context.RegisterSourceOutput(llama, AddSource);
        context.RegisterSourceOutput(commandLine, AddSource);
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
