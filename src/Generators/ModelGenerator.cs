using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Clients;
using ModelDsl.Generators.Layout;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Setups;
using ModelDsl.Generators.Validation;

namespace ModelDsl.Generators;

/// <summary>
/// Completes every class marked <c>[Model]</c>, <c>[Module]</c>, <c>[Gpt2]</c> or <c>[Llama]</c> into a TorchSharp module.
/// Pipeline: attribute → equatable spec → (validate, lay out parameters) → source text. Invalid declarations
/// produce no source; the analyzers explain why.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class ModelGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var modules = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModuleAttribute, IsClass, static (c, ct) => Guard(() => ParseClass(c, ClassRole.Module, ct)))
            .Where(static spec => spec is not null).Select(static (spec, _) => spec!)
            .WithTrackingName(GeneratorStepNames.ModuleSpecs);

        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.ModelAttribute, IsClass, static (c, ct) => Guard(() => ParseClass(c, ClassRole.Model, ct)))
            .Where(static spec => spec is not null).Select(static (spec, _) => spec!)
            .WithTrackingName(GeneratorStepNames.ModelSpecs);

        var catalog = modules.Collect()
            .Select(static (all, _) => new ModuleCatalog(all.OrderBy(m => m.Type.FullyQualifiedName, StringComparer.Ordinal).ToEquatableArray()))
            .WithTrackingName(GeneratorStepNames.ModuleCatalog);

        var modelSources = models.Combine(catalog)
            .Select(static (pair, _) => Guard(() => RenderClass(pair.Left, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModelSources);
        var moduleSources = modules.Combine(catalog)
            .Select(static (pair, _) => Guard(() => RenderClass(pair.Left, pair.Right)))
            .WithTrackingName(GeneratorStepNames.ModuleSources);

        var gpt2 = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.Gpt2Attribute, IsClass, static (c, _) => Guard(() => ParseGpt2(c)))
            .WithTrackingName(GeneratorStepNames.Gpt2Specs)
            .Select(static (spec, _) => Guard(() => spec is null || FamilyValidator.Validate(spec).Count > 0 ? null : EmitGpt2(spec)))
            .WithTrackingName(GeneratorStepNames.FamilySources);
        var llama = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.LlamaAttribute, IsClass, static (c, _) => Guard(() => ParseLlama(c)))
            .WithTrackingName(GeneratorStepNames.LlamaSpecs)
            .Select(static (spec, _) => Guard(() => spec is null || FamilyValidator.Validate(spec).Count > 0 ? null : EmitLlama(spec)))
            .WithTrackingName(GeneratorStepNames.FamilySources);

        var setups = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.FineTuneAttribute, IsClass, static (c, ct) => Guard(() => SetupParser.Parse(c, ct)))
            .WithTrackingName(GeneratorStepNames.SetupSpecs)
            .Select(static (spec, _) => Guard(() => spec is null ? null : SetupPlanner.Plan(spec).Plan is { } plan ? SetupEmitter.Emit(plan) : null))
            .WithTrackingName(GeneratorStepNames.SetupSources);

        var clients = context.SyntaxProvider
            .ForAttributeWithMetadataName(KnownNames.InferenceClientAttribute, IsClass, static (c, ct) => Guard(() => ClientParser.Parse(c, ct)))
            .WithTrackingName(GeneratorStepNames.ClientSpecs)
            .Select(static (spec, _) => Guard(() => spec is null || ClientRules.Validate(spec).Any(f => !f.IsWarning) ? null : ClientEmitter.Emit(spec)))
            .WithTrackingName(GeneratorStepNames.ClientSources);

        context.RegisterSourceOutput(modelSources, AddSource);
        context.RegisterSourceOutput(clients, AddSource);
        context.RegisterSourceOutput(setups, AddSource);
        context.RegisterSourceOutput(moduleSources, AddSource);
        context.RegisterSourceOutput(gpt2, AddSource);
        context.RegisterSourceOutput(llama, AddSource);
    }

    static bool IsClass(SyntaxNode node, CancellationToken _) => node is ClassDeclarationSyntax;

    static void AddSource(SourceProductionContext context, GeneratedFile? file)
    {
        if (file is not null) context.AddSource(file.HintName, file.Text);
    }

    internal static GeneratedFile? RenderClass(ClassSpec spec, ModuleCatalog catalog)
    {
        if (ModelValidator.Validate(spec, catalog).Count > 0) return null;
        var layout = ParameterLayout.Build(spec, catalog);
        return layout is null ? null : new GeneratedFile(spec.Type.HintName, EmitClass(spec, layout.Parameters));
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
