using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Clients;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Setups;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Families;
using ModelDsl.Generators.Families.FromConfig;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// Reports every finding of the validators at the argument, attribute or member it is about, so that
/// <c>#pragma warning disable</c> and <c>.editorconfig</c> severities work as for any compiler diagnostic.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelDslAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.Supported;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType);
        EntryPointRule.Register(context);
        UndefinedEnumRule.Register(context);
    }

    static void Analyze(SymbolAnalysisContext context)
    {
        if (context.Symbol is not INamedTypeSymbol type) return;
        var files = new AnalyzerConfigFiles(context.Options.AdditionalFiles, context.CancellationToken);
        foreach (var (finding, rootAttribute) in Findings(type, files, context.CancellationToken))
        {
            if (GeneratorReports.ReportedByGenerator(type, finding.Id)) continue;   // C# would hide it; the generator reports it
            var descriptor = DiagnosticDescriptors.ById[finding.Id];
            var location = FindingLocator.Locate(type, finding, rootAttribute, context.CancellationToken);
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, DiagnosticProperties.Of(finding), finding.Message));
        }
    }

    internal static IEnumerable<(Finding Finding, AttributeData Root)> Findings(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        Findings(type, new AnalyzerConfigFiles(ImmutableArray<AdditionalText>.Empty, cancellationToken), cancellationToken);

    internal static IEnumerable<(Finding Finding, AttributeData Root)> Findings(INamedTypeSymbol type, AnalyzerConfigFiles files, CancellationToken cancellationToken)
    {
        foreach (var attribute in type.GetAttributes())
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != KnownNames.DslNamespace) continue;
            IEnumerable<Finding> findings = (attributeClass.MetadataName, attributeClass.Name) switch
            {
                ("ModelAttribute", _) => ModelValidator.Validate(
                    ModelParser.ParseClass(type, ClassRole.Model, cancellationToken), BlockCollector.Collect(type, cancellationToken)),
                ("ModuleAttribute", _) => ModelValidator.Validate(
                    ModelParser.ParseClass(type, ClassRole.Module, cancellationToken), BlockCollector.Collect(type, cancellationToken)),
                ("FromConfigAttribute", _) => FromConfigResolver.Validate(FamilyParser.ParseFromConfig(type, attribute), files.For(FamilyParser.ParseFromConfig(type, attribute).Path)),
                ("FineTuneAttribute`1", _) => SetupParser.Parse(type, attribute, cancellationToken) is { } setup
                    && SetupParser.ResolveConfigModel(setup, files.For(setup.ConfigModel?.Path)) is { } resolved
                    ? SetupPlanner.Plan(resolved).Findings
                    : Enumerable.Empty<Finding>(),
                (var name, _) when KnownNames.FamilyOf(KnownNames.DslNamespace + "." + name) is { } family =>
                    FamilyValidator.Validate(FamilyParser.Parse(type, attribute, family)),
                ("InferenceClientAttribute`1", _) => ClientParser.Parse(type, attribute, cancellationToken) is { } client
                    ? ClientRules.Validate(client)
                    : Enumerable.Empty<Finding>(),
                _ => Enumerable.Empty<Finding>(),
            };
            foreach (var finding in findings) yield return (finding, attribute);
        }
    }
}
