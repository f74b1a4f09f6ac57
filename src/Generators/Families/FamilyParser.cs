using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Families;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Text;
using A = ModelDsl.Families.FamilyArguments;
using D = ModelDsl.Families.FamilyDefaults;

namespace ModelDsl.Generators.Families;

/// <summary>Turns a family attribute (<c>[Gpt2]</c>, <c>[Llama]</c>, …) into its spec, the attribute's defaults filled in.</summary>
internal static class FamilyParser
{
    public static FamilySpec? Parse(GeneratorAttributeSyntaxContext context, FamilyKind family) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0 ? Parse(type, context.Attributes[0], family) : null;

    public static FromConfigSpec? ParseFromConfig(GeneratorAttributeSyntaxContext context) =>
        context.TargetSymbol is INamedTypeSymbol type && context.Attributes.Length > 0 ? ParseFromConfig(type, context.Attributes[0]) : null;

    internal static FromConfigSpec ParseFromConfig(INamedTypeSymbol type, AttributeData attribute) =>
        new(TypeParser.ParseLocation(type), TypeParser.DeclaresConstructor(type),
            attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : null);

    internal static FamilySpec Parse(INamedTypeSymbol type, AttributeData attribute, FamilyKind family)
    {
        var a = new AttributeArguments(attribute);
        var written = attribute.NamedArguments.Select(pair => pair.Key).OrderBy(k => k, System.StringComparer.Ordinal).ToEquatableArray();
        FamilyShape shape;
        bool unknownRope = false;
        switch (family)
        {
            case FamilyKind.Gpt2:
                shape = FamilyShape.Gpt2(a.Named(A.Layers, D.Gpt2.Layers), a.Named(A.Dim, D.Gpt2.Dim), a.Named(A.Heads, D.Gpt2.Heads),
                    a.Named(A.Vocab, D.Gpt2.Vocab), a.Named(A.Context, D.Gpt2.Context), a.Named(A.NormEps, D.Gpt2.NormEps));
                break;
            case FamilyKind.Llama:
                var rope = RopeScaling(a, out unknownRope);
                shape = Decoder(a, family, D.Llama.Layers, D.Llama.Dim, D.Llama.Heads, D.Llama.KvHeads, D.Llama.HeadDim, D.Llama.Ffn,
                    D.Llama.Vocab, D.Llama.Context, D.Llama.RopeTheta, D.Llama.TieEmbeddings, D.Llama.NormEps) with { RopeScaling = rope };
                break;
            case FamilyKind.Mistral:
                shape = Decoder(a, family, D.Mistral.Layers, D.Mistral.Dim, D.Mistral.Heads, D.Mistral.KvHeads, D.Mistral.HeadDim, D.Mistral.Ffn,
                    D.Mistral.Vocab, D.Mistral.Context, D.Mistral.RopeTheta, D.Mistral.TieEmbeddings, D.Mistral.NormEps)
                    with { SlidingWindow = a.Named(A.SlidingWindow, D.Mistral.SlidingWindow) };
                break;
            case FamilyKind.Qwen2:
                shape = Decoder(a, family, D.Qwen2.Layers, D.Qwen2.Dim, D.Qwen2.Heads, D.Qwen2.KvHeads, D.Qwen2.HeadDim, D.Qwen2.Ffn,
                    D.Qwen2.Vocab, D.Qwen2.Context, D.Qwen2.RopeTheta, D.Qwen2.TieEmbeddings, D.Qwen2.NormEps)
                    with { SlidingWindow = a.Named(A.SlidingWindow, D.Qwen2.SlidingWindow), FirstSlidingLayer = a.Named(A.MaxWindowLayers, D.Qwen2.MaxWindowLayers) };
                break;
            case FamilyKind.Qwen3:
                shape = Decoder(a, family, D.Qwen3.Layers, D.Qwen3.Dim, D.Qwen3.Heads, D.Qwen3.KvHeads, D.Qwen3.HeadDim, D.Qwen3.Ffn,
                    D.Qwen3.Vocab, D.Qwen3.Context, D.Qwen3.RopeTheta, D.Qwen3.TieEmbeddings, D.Qwen3.NormEps)
                    with { SlidingWindow = a.Named(A.SlidingWindow, D.Qwen3.SlidingWindow), FirstSlidingLayer = a.Named(A.MaxWindowLayers, D.Qwen3.MaxWindowLayers) };
                break;
            case FamilyKind.Phi3:
                shape = Decoder(a, family, D.Phi3.Layers, D.Phi3.Dim, D.Phi3.Heads, D.Phi3.KvHeads, D.Phi3.HeadDim, D.Phi3.Ffn,
                    D.Phi3.Vocab, D.Phi3.Context, D.Phi3.RopeTheta, D.Phi3.TieEmbeddings, D.Phi3.NormEps)
                    with { SlidingWindow = a.Named(A.SlidingWindow, D.Phi3.SlidingWindow) };
                break;
            default:
                shape = Decoder(a, family, D.Gemma.Layers, D.Gemma.Dim, D.Gemma.Heads, D.Gemma.KvHeads, D.Gemma.HeadDim, D.Gemma.Ffn,
                    D.Gemma.Vocab, D.Gemma.Context, D.Gemma.RopeTheta, D.Gemma.TieEmbeddings, D.Gemma.NormEps);
                break;
        }
        return new FamilySpec(TypeParser.ParseLocation(type), TypeParser.DeclaresConstructor(type), shape, written, unknownRope);
    }

    static FamilyShape Decoder(AttributeArguments a, FamilyKind family, int layers, int dim, int heads, int kvHeads, int headDim, int ffn,
        int vocab, int context, double ropeTheta, bool tie, double normEps)
    {
        int h = a.Named(A.Heads, heads);
        int kv = a.Named(A.KvHeads, kvHeads);
        return new FamilyShape(family, a.Named(A.Layers, layers), a.Named(A.Dim, dim), h, kv == 0 ? h : kv, a.Named(A.HeadDim, headDim),
            a.Named(A.Ffn, ffn), a.Named(A.Vocab, vocab), a.Named(A.Context, context), a.Named(A.NormEps, normEps),
            a.Named(A.RopeTheta, ropeTheta), a.Named(A.TieEmbeddings, tie), null, 0, 0, FamilyShape.DefaultActivation(family));
    }

    // [Llama(RopeScaling = RopeScaling.Llama3, RopeFactor = 32, …)]: the llama3 fields default to Llama 3.1's.
    static RopeScalingShape? RopeScaling(AttributeArguments a, out bool unknown)
    {
        unknown = false;
        if (!a.HasNamed(A.RopeScaling)) return null;
        var factor = a.Named(A.RopeFactor, D.Llama.RopeFactor);
        switch (a.NamedEnum(A.RopeScaling))
        {
            case "None":
                return null;
            case "Linear":
                return RopeScalingShape.Linear(factor);
            case "Llama3":
                return new RopeScalingShape(RopeKind.Llama3, factor, a.Named(A.LowFreqFactor, D.Llama.LowFreqFactor),
                    a.Named(A.HighFreqFactor, D.Llama.HighFreqFactor), a.Named(A.OriginalContext, D.Llama.OriginalContext));
            default:
                unknown = true;
                return null;
        }
    }
}
