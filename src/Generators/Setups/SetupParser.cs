using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Families;
using ModelDsl.Generators.Families.FromConfig;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Diagnostics;

namespace ModelDsl.Generators.Setups;

/// <summary>
/// Turns a <c>[FineTune&lt;TModel&gt;]</c> class into a <see cref="SetupSpec"/>, describing TModel (read from its own
/// attributes) so that everything downstream is data: targets are matched and parameters counted without symbols.
/// </summary>
internal static class SetupParser
{
    public static SetupSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || context.Attributes.Length == 0) return null;
        return Parse(type, context.Attributes[0], cancellationToken);
    }

    public static SetupSpec? Parse(INamedTypeSymbol type, AttributeData fineTune, CancellationToken cancellationToken)
    {
        if (fineTune.AttributeClass is not { TypeArguments.Length: 1 } attributeClass) return null;
        var modelType = attributeClass.TypeArguments[0];
        // A [FromConfig] model is described once its file is read (ResolveConfigModel), outside the symbol world.
        var configModel = modelType is INamedTypeSymbol candidate && candidate.TypeKind != TypeKind.Error
            ? candidate.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.FromConfigAttribute) is { } fromConfig
                ? FamilyParser.ParseFromConfig(candidate, fromConfig)
                : null
            : null;
        var model = configModel is null && modelType is INamedTypeSymbol named && named.TypeKind != TypeKind.Error
            ? Describe(named, cancellationToken)
            : null;
        // A model with errors of its own generates nothing; its diagnostics say why, and the setup waits for it.
        if (configModel is null && model is null && modelType is INamedTypeSymbol declared && IsDeclaredModel(declared)) return null;
        var methods = type.GetAttributes().Select(ParseMethod).Where(m => m is not null).Select(m => m!).ToEquatableArray();
        return new SetupSpec(
            TypeParser.ParseLocation(type),
            TypeParser.DeclaresConstructor(type),
            modelType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            model,
            methods,
            configModel);
    }

    /// <summary>
    /// The setup with its <c>[FromConfig]</c> model described from the project's config files, the setup itself when its
    /// model is not a <c>[FromConfig]</c> one, or <see langword="null"/> when that model has problems of its own (the
    /// setup then waits for it, as for any invalid model).
    /// </summary>
    public static SetupSpec? ResolveConfigModel(SetupSpec spec, IReadOnlyList<ConfigFile> files)
    {
        if (spec.ConfigModel is not { } request) return spec;
        if (FromConfigResolver.Validate(request, files).Count > 0) return null;
        var family = FromConfigResolver.Resolve(request, files).Spec;
        return family is null ? null : spec with { Model = FamilyLayout.Describe(family) };
    }

    /// <summary>What a generated model contains, or <see langword="null"/> when the type is not one (or is not valid yet).</summary>
    internal static ModelDescription? Describe(INamedTypeSymbol model, CancellationToken cancellationToken)
    {
        foreach (var attribute in model.GetAttributes())
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            // Only a valid declaration is laid out: an invalid one may divide by zero heads or ask for 2^31 blocks.
            if (KnownNames.FamilyOf(name) is { } kind)
            {
                var family = FamilyParser.Parse(model, attribute, kind);
                return FamilyValidator.Validate(family).Count > 0 ? null : FamilyLayout.Describe(family);
            }
            switch (name)
            {
                case KnownNames.ModelAttribute:
                    var spec = ModelParser.ParseClass(model, ClassRole.Model, cancellationToken);
                    var catalog = BlockCollector.Collect(model, cancellationToken);
                    if (ModelValidator.Validate(spec, catalog).Count > 0) return null;
                    var layout = ParameterLayout.Build(spec, catalog);
                    return layout is null ? null : FamilyLayout.Describe(spec, layout);
            }
        }
        return null;
    }

    static bool IsDeclaredModel(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is { } name && (KnownNames.IsLanguageModelAttribute(name) || name == KnownNames.ModelAttribute));

    static MethodSpec? ParseMethod(AttributeData attribute)
    {
        var attributeClass = attribute.AttributeClass;
        if (attributeClass is null || attributeClass.ContainingNamespace?.ToDisplayString() != KnownNames.DslNamespace) return null;
        var arguments = new AttributeArguments(attribute);
        return attributeClass.Name switch
        {
            "FullFineTuneAttribute" => new FullFineTuneSpec(),
            "BitFitAttribute" => new BitFitSpec(),
            "SelectiveAttribute" => arguments.NamedStrings("Train") is { } train
                ? new SelectiveSpec(train.ToEquatableArray())
                : arguments.HasNamed("Train") ? new IncompleteMethodSpec("Selective") : new SelectiveSpec(EquatableArray<string>.Empty),
            "LoRAAttribute" => arguments.Int(0) is int rank
                ? new LoraSpec(rank, arguments.Named("Alpha", 8.0), arguments.Named("Dropout", 0.0),
                    arguments.NamedStrings("Targets")?.ToEquatableArray(), arguments.NamedInts("Layers")?.ToEquatableArray(),
                    arguments.Named("UseRsLora", false))
                : new IncompleteMethodSpec("LoRA"),
            "SoftPromptAttribute" => arguments.Int(0) is int tokens
                ? new SoftPromptSpec(tokens, arguments.NamedEnum("Init") ?? (arguments.Named<string>("InitText") is null ? "Random" : "Text"),
                    arguments.HasNamed("Init"), arguments.Named<string>("InitText"))
                : new IncompleteMethodSpec("SoftPrompt"),
            "AdapterAttribute" => new AdapterSpec(arguments.Named("Bottleneck", 64), arguments.NamedEnum("Placement") ?? "Houlsby"),
            _ => null,
        };
    }
}
