using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Specs;
using ModelDsl.Shared;
using ModelDsl.Generators.Common;

namespace ModelDsl.Generators.Clients;

/// <summary>Turns an <c>[InferenceClient&lt;T&gt;]</c> class and its <c>[Prompt]</c> methods into a <see cref="ClientSpec"/>.</summary>
internal static class ClientParser
{
    const string ExampleType = "global::ModelDsl.Clients.PromptExample";

    /// <summary>The <c>[Prompt]</c> arguments that are generation options, in the order they are emitted.</summary>
    static readonly string[] GenerationOptionNames = ["MaxNewTokens", "Temperature", "TopK", "TopP", "Stop"];

    /// <summary>The <c>[Prompt]</c> arguments that label a bool answer.</summary>
    static readonly string[] LabelArgumentNames = ["TrueLabel", "FalseLabel"];

    public static ClientSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0
            ? Parse(type, context.Attributes[0], cancellationToken)
            : null;

    public static ClientSpec? Parse(INamedTypeSymbol type, AttributeData attribute, CancellationToken cancellationToken)
    {
        if (attribute.AttributeClass is not { TypeArguments.Length: 1 } attributeClass) return null;
        var target = attributeClass.TypeArguments[0];
        var methods = type.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary)
            .Select(m => (Method: m, Prompt: m.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == KnownNames.PromptAttribute)))
            .Where(p => p.Prompt is not null && GeneratedTrees.UserDeclarations(p.Method).Any())
            .Select(p => ParseMethod(p.Method, p.Prompt!, cancellationToken))
            .ToEquatableArray();
        return new ClientSpec(
            TypeParser.ParseLocation(type),
            TypeParser.DeclaresConstructor(type),
            TypeParser.FullName(target),
            target.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat),
            IsLanguageModel(target),
            methods,
            DeclaredContext(target));
    }

    // The context window of a family model, or of the model a [FineTune<T>] setup trains; null for [FromConfig] (read at run time).
    static int? DeclaredContext(ITypeSymbol target) =>
        LanguageModelAttribute(target) is ({ } model, { } attribute)
        && KnownNames.FamilyOf(attribute.AttributeClass?.OriginalDefinition.ToDisplayString()) is { } family
            ? Families.FamilyParser.Parse(model, attribute, family).Shape.Context
            : null;

    // A family model ([Gpt2], [Llama], …, [FromConfig]), or a [FineTune<T>] setup over one.
    static bool IsLanguageModel(ITypeSymbol target) => LanguageModelAttribute(target).Attribute is not null;

    // The model's family or [FromConfig] attribute, following a [FineTune<T>] setup to the model it trains.
    static (INamedTypeSymbol? Model, AttributeData? Attribute) LanguageModelAttribute(ITypeSymbol target)
    {
        if (target is not INamedTypeSymbol named) return (null, null);
        foreach (var attribute in named.GetAttributes())
        {
            if (KnownNames.IsLanguageModelAttribute(attribute.AttributeClass?.OriginalDefinition.ToDisplayString())) return (named, attribute);
            if (attribute.AttributeClass is { MetadataName: "FineTuneAttribute`1", TypeArguments.Length: 1 } fineTune
                && !SymbolEqualityComparer.Default.Equals(fineTune.TypeArguments[0], target))
                return LanguageModelAttribute(fineTune.TypeArguments[0]);
        }
        return (null, null);
    }

    static ClientMethodSpec ParseMethod(IMethodSymbol method, AttributeData prompt, CancellationToken cancellationToken)
    {
        var arguments = new AttributeArguments(prompt);
        var template = prompt.AttributeConstructor is not null && prompt.ConstructorArguments.Length == 1
            ? prompt.ConstructorArguments[0].Value as string
            : null;
        var (asyncKind, answerType) = Unwrap(method.ReturnType);
        var (answer, labels) = Answer(answerType, arguments);
        var schema = "";
        var smallestAnswer = "";
        if (answer == AnswerKind.Unsupported && AnswerSchema.IsJsonAnswer(answerType))
        {
            var (json, smallest, reason) = AnswerSchema.Build(answerType);
            (answer, schema, smallestAnswer) = json is null ? (AnswerKind.Unsupported, reason, "") : (AnswerKind.Json, json, smallest);
        }
        if (asyncKind.Length > 0 && answer == AnswerKind.Stream) answer = AnswerKind.Unsupported;
        var examples = method.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == KnownNames.ExampleAttribute && a.ConstructorArguments.Length == 2)
            .Select(a => new ExampleSpec(a.ConstructorArguments[0].Value as string ?? "", a.ConstructorArguments[1].Value as string ?? ""))
            .ToEquatableArray();
        var parameters = method.Parameters.Select(p => new ClientParameter(
            p.Name,
            TypeParser.FullName(p.Type),
            TypeParser.FullName(p.Type).Contains(ExampleType),
            p.Type.ToDisplayString() == "System.Threading.CancellationToken")).ToEquatableArray();
        return new ClientMethodSpec(
            method.Name,
            Modifiers(method, cancellationToken),
            TypeParser.FullName(method.ReturnType),
            answer,
            labels,
            parameters,
            template,
            arguments.Named("MaxNewTokens", DslDefaults.PromptMaxNewTokens),
            arguments.Named("Temperature", DslDefaults.PromptTemperature),
            arguments.Named("TopK", DslDefaults.PromptTopK),
            arguments.Named("TopP", DslDefaults.PromptTopP),
            (arguments.NamedStrings("Stop") ?? System.Array.Empty<string>()).ToEquatableArray(),
            examples,
            IsImplementable(method, cancellationToken),
            prompt.NamedArguments.Select(a => a.Key).Where(GenerationOptionNames.Contains).OrderBy(k => System.Array.IndexOf(GenerationOptionNames, k)).ToEquatableArray(),
            asyncKind,
            TypeParser.FullName(answerType),
            schema,
            smallestAnswer,
            answer == AnswerKind.Bool ? EquatableArray<string>.Empty : LabelArgumentNames.Where(arguments.HasNamed).ToEquatableArray());
    }

    static (AnswerKind, EquatableArray<AnswerLabel>) Answer(ITypeSymbol type, AttributeArguments prompt)
    {
        var none = EquatableArray<AnswerLabel>.Empty;
        if (type.SpecialType == SpecialType.System_String) return (AnswerKind.Text, none);
        if (type.SpecialType == SpecialType.System_Boolean)
            return (AnswerKind.Bool, new[]
            {
                new AnswerLabel("true", BoolLabel(prompt, "TrueLabel", DslDefaults.PromptTrueLabel)),
                new AnswerLabel("false", BoolLabel(prompt, "FalseLabel", DslDefaults.PromptFalseLabel)),
            }.ToEquatableArray());
        if (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } enumType)
            return (AnswerKind.Enum, enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
                .Select(f => new AnswerLabel(f.Name, DescriptionOf(f) ?? f.Name)).ToEquatableArray());
        if (type is INamedTypeSymbol { MetadataName: "IAsyncEnumerable`1", TypeArguments.Length: 1 } stream
            && stream.TypeArguments[0].SpecialType == SpecialType.System_String)
            return (AnswerKind.Stream, none);
        return (AnswerKind.Unsupported, none);
    }

    // A label set to null is as empty as "": the rules report both.
    static string BoolLabel(AttributeArguments prompt, string name, string defaultLabel) =>
        prompt.HasNamed(name) ? prompt.Named<string>(name) ?? "" : defaultLabel;

    // [System.ComponentModel.Description("…")] on an enum member: the text the model is asked for instead of the name.
    static string? DescriptionOf(IFieldSymbol member) =>
        member.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.DescriptionAttribute"
                                                   && a.ConstructorArguments.Length == 1)
            ?.ConstructorArguments[0].Value as string;

    // Task<T> and ValueTask<T> answer T asynchronously.
    static (string Kind, ITypeSymbol Answer) Unwrap(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
        && generic.OriginalDefinition.ToDisplayString() is "System.Threading.Tasks.Task<TResult>" or "System.Threading.Tasks.ValueTask<TResult>"
            ? (generic.Name, generic.TypeArguments[0])
            : ("", type);

    static string Modifiers(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = GeneratedTrees.UserDeclarations(method).Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        return syntax is null ? "" : string.Join(" ", syntax.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)).Select(m => m.Text));
    }

    // Declared `partial` without a body, exactly once: the generator writes the body.
    static bool IsImplementable(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var declarations = GeneratedTrees.UserDeclarations(method).Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().ToList();
        return declarations.Count == 1
            && declarations[0].Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword))
            && declarations[0].Body is null && declarations[0].ExpressionBody is null
            && method.TypeParameters.Length == 0
            && method.Parameters.All(p => p.RefKind == RefKind.None);
    }
}
