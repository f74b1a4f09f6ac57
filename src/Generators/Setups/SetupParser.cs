using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.DeclaredModels;
using ModelDsl.Generators.Families;
using ModelDsl.Generators.Families.FromConfig;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared;
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
        var (model, modelInvalid) = configModel is null && modelType is INamedTypeSymbol named && named.TypeKind != TypeKind.Error
            ? Describe(named, cancellationToken)
            : (null, null);
        var attributes = type.GetAttributes();
        var methods = attributes.Select(ParseMethod).Where(m => m is not null).Select(m => m!).ToEquatableArray();
        return new SetupSpec(
            TypeParser.ParseLocation(type),
            TypeParser.DeclaresConstructor(type),
            modelType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            model,
            methods,
            configModel)
        {
            ModelType = TypeParser.FullName(modelType),
            ModelIsModule = IsTorchModule(modelType),
            ModelInvalid = modelInvalid,
            Dpo = attributes.FirstOrDefault(a => IsDsl(a, "DpoAttribute")) is { } dpo ? ParseDpo(dpo) : null,
            Quantize = attributes.FirstOrDefault(a => IsDsl(a, "QuantizeAttribute")) is { } quantize ? ParseQuantize(quantize) : null,
            RewardHead = attributes.Any(a => IsDsl(a, "RewardHeadAttribute")),
            ModelImplementsCausalLanguageModel = Implements(modelType, KnownNames.CausalLanguageModelInterface),
            ModelImplementsHiddenStates = Implements(modelType, KnownNames.HiddenStateModelInterface),
        };
    }

    static bool IsDsl(AttributeData attribute, string name) =>
        attribute.AttributeClass is { } attributeClass && attributeClass.Name == name
        && attributeClass.ContainingNamespace?.ToDisplayString() == KnownNames.DslNamespace;

    static DpoSpec ParseDpo(AttributeData attribute)
    {
        var arguments = new AttributeArguments(attribute);
        return new DpoSpec(arguments.Named("Beta", DslDefaults.DpoBeta), arguments.Named("LabelSmoothing", 0.0),
            arguments.HasNamed("Loss") ? arguments.NamedEnum("Loss") : "Sigmoid");
    }

    static QuantizeSpec ParseQuantize(AttributeData attribute)
    {
        var arguments = new AttributeArguments(attribute);
        bool constant = attribute.NamedArguments.All(pair => pair.Value.Kind != TypedConstantKind.Error && pair.Value.Value is not null);
        return new QuantizeSpec(arguments.Named("Bits", DslDefaults.QuantizeBits), arguments.Named("BlockSize", DslDefaults.QuantizeBlockSize),
            arguments.Named("DoubleQuantization", DslDefaults.QuantizeDoubleQuantization), arguments.HasNamed("BlockSize"),
            arguments.HasNamed("DoubleQuantization"), constant);
    }

    static bool Implements(ITypeSymbol type, string interfaceName) =>
        type.AllInterfaces.Any(i => i.ToDisplayString() == interfaceName);

    /// <summary>
    /// The setup with its <c>[FromConfig]</c> model described from the project's config files, or — when that model has
    /// problems of its own — marked as waiting for it.
    /// </summary>
    public static SetupSpec ResolveConfigModel(SetupSpec spec, IReadOnlyList<ConfigFile> files)
    {
        if (spec.ConfigModel is not { } request) return spec;
        var resolved = FromConfigResolver.Resolution(request, files);
        if (resolved.Family is not { } family) return spec with { ModelInvalid = resolved.Problem };
        return InvalidReason.FirstError(FamilyValidator.Validate(family)) is { } invalid
            ? spec with { ModelInvalid = invalid }
            : spec with { Model = FamilyLayout.Describe(family) };
    }

    /// <summary>
    /// What a generated model contains; or, for a declared model with errors of its own, the first of them (its
    /// diagnostics say why; the setup waits for it); or neither when the type is not a generated model.
    /// </summary>
    internal static (ModelDescription? Description, InvalidReason? Invalid) Describe(INamedTypeSymbol model, CancellationToken cancellationToken)
    {
        foreach (var attribute in model.GetAttributes())
        {
            var name = attribute.AttributeClass?.ToDisplayString();
            // Only a valid declaration is laid out: an invalid one may divide by zero heads or ask for 2^31 blocks.
            if (KnownNames.FamilyOf(name) is { } kind)
            {
                var family = FamilyParser.Parse(model, attribute, kind);
                return Checked(FamilyValidator.Validate(family), () => FamilyLayout.Describe(family));
            }
            switch (name)
            {
                case KnownNames.ModelAttribute:
                    var spec = ModelParser.ParseClass(model, ClassRole.Model, cancellationToken);
                    var catalog = BlockCollector.Collect(model, cancellationToken);
                    var (findings, layout) = ModelValidator.Check(spec, catalog);
                    return Checked(findings, () => layout is null ? null : FamilyLayout.Describe(spec, layout));
            }
        }
        return (null, null);
    }

    static (ModelDescription?, InvalidReason?) Checked(IReadOnlyList<Finding> findings, Func<ModelDescription?> describe) =>
        InvalidReason.FirstError(findings) is { } invalid ? (null, invalid) : (describe(), null);

    // Whether TModel is (or, once generated, will be) a TorchSharp Module, so that a stub can still derive from
    // PeftSetup<TModel>. The generator sees declared models before their generated halves give them a base class.
    static bool IsTorchModule(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol named && named.GetAttributes().Any(a => KnownNames.IsModelAttribute(a.AttributeClass?.ToDisplayString())))
            return Stubs.CanEmit(TypeParser.ParseLocation(named));
        for (var current = type.BaseType; current is not null; current = current.BaseType)
            if (current.ContainingNamespace?.ToDisplayString() == "TorchSharp" && current.Name == "Module"
                && current.ContainingType?.Name == "nn")
                return true;
        return false;
    }

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
                ? new LoraSpec(rank, arguments.Named("Alpha", DslDefaults.LoraAlpha), arguments.Named("Dropout", DslDefaults.LoraDropout),
                    arguments.NamedStrings("Targets")?.ToEquatableArray(), arguments.NamedInts("Layers")?.ToEquatableArray(),
                    arguments.Named("UseRsLora", false))
                : new IncompleteMethodSpec("LoRA"),
            "SoftPromptAttribute" => arguments.Int(0) is int tokens
                ? new SoftPromptSpec(tokens, arguments.NamedEnum("Init") ?? (arguments.Named<string>("InitText") is null ? "Random" : "Text"),
                    arguments.HasNamed("Init"), arguments.Named<string>("InitText"))
                : new IncompleteMethodSpec("SoftPrompt"),
            "AdapterAttribute" => new AdapterSpec(arguments.Named("Bottleneck", DslDefaults.AdapterBottleneck), arguments.NamedEnum("Placement") ?? "Houlsby"),
            _ => null,
        };
    }
}
