using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;

namespace ModelDsl.Generators.Families;

/// <summary>Turns a <c>[Gpt2]</c> or <c>[Llama]</c> class into its spec, the attribute's defaults filled in.</summary>
internal static class FamilyParser
{
    public static Gpt2Spec? ParseGpt2(GeneratorAttributeSyntaxContext context) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0 ? ParseGpt2(type, context.Attributes[0]) : null;

    public static LlamaSpec? ParseLlama(GeneratorAttributeSyntaxContext context) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0 ? ParseLlama(type, context.Attributes[0]) : null;

    internal static Gpt2Spec ParseGpt2(INamedTypeSymbol type, AttributeData attribute)
    {
        var arguments = new AttributeArguments(attribute);
        var d = Gpt2Spec.Defaults;
        return new Gpt2Spec(TypeParser.ParseLocation(type), TypeParser.DeclaresConstructor(type),
            arguments.Named("Layers", d.Layers), arguments.Named("Dim", d.Dim), arguments.Named("Heads", d.Heads),
            arguments.Named("Vocab", d.Vocab), arguments.Named("Context", d.Context), arguments.Named("NormEps", d.NormEps));
    }

    internal static LlamaSpec ParseLlama(INamedTypeSymbol type, AttributeData attribute)
    {
        var arguments = new AttributeArguments(attribute);
        var d = LlamaSpec.Defaults;
        int heads = arguments.Named("Heads", d.Heads);
        int kvHeads = arguments.Named("KvHeads", d.KvHeads);
        return new LlamaSpec(TypeParser.ParseLocation(type), TypeParser.DeclaresConstructor(type),
            arguments.Named("Layers", d.Layers), arguments.Named("Dim", d.Dim), heads, kvHeads == 0 ? heads : kvHeads,
            arguments.Named("Ffn", d.Ffn), arguments.Named("Vocab", d.Vocab), arguments.Named("Context", d.Context),
            arguments.Named("RopeTheta", d.RopeTheta), arguments.Named("TieEmbeddings", d.TieEmbeddings), arguments.Named("NormEps", d.NormEps));
    }
}
