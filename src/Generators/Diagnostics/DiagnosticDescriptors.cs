using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Ids = ModelDsl.Generators.Diagnostics.DiagnosticIds;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// Every diagnostic ModelDsl reports. The message of each is written by the validator that found the problem
/// (it says what is wrong and what would be right), so each descriptor's format is "{0}".
/// </summary>
public static class DiagnosticDescriptors
{
    const string HelpBase = "https://github.com/modeldsl/modeldsl/blob/main/docs/diagnostics/";
    const string Structure = "ModelDsl.Structure";
    const string Lora = "ModelDsl.LoRA";
    const string Prompt = "ModelDsl.SoftPrompt";
    const string Setup = "ModelDsl.Setup";
    const string Client = "ModelDsl.Client";
    const string CommandLine = "ModelDsl.CommandLine";

    /// <summary>The generator hit an internal error (reported by the generator, never by the analyzer).</summary>
    public static readonly DiagnosticDescriptor GeneratorFailed = new(
        Ids.GeneratorFailed, "ModelDsl's generator failed", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "An internal error in ModelDsl's source generator stopped it from generating one declaration; the declaration may be fine. Please report it with the message.",
        helpLinkUri: HelpBase + Ids.GeneratorFailed + ".md");

    /// <summary>ModelDsl class is not partial.</summary>
    public static readonly DiagnosticDescriptor NotPartial = new(
        Ids.NotPartial, "ModelDsl class is not partial", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A class marked [Model], [Module], a family attribute ([Gpt2], [Llama], …, [FromConfig]) or [FineTune<T>] must be partial, as must every type that contains it.", helpLinkUri: HelpBase + Ids.NotPartial + ".md");

    /// <summary>ModelDsl class is generic.</summary>
    public static readonly DiagnosticDescriptor GenericNotSupported = new(
        Ids.GenericNotSupported, "ModelDsl class is generic", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Generated modules are concrete classes; remove the type parameters.", helpLinkUri: HelpBase + Ids.GenericNotSupported + ".md");

    /// <summary>ModelDsl class declares a base class.</summary>
    public static readonly DiagnosticDescriptor HasBaseType = new(
        Ids.HasBaseType, "ModelDsl class declares a base class", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The generated part supplies the base class (a TorchSharp module).", helpLinkUri: HelpBase + Ids.HasBaseType + ".md");

    /// <summary>ModelDsl class declares a constructor.</summary>
    public static readonly DiagnosticDescriptor DeclaresConstructor = new(
        Ids.DeclaresConstructor, "ModelDsl class declares a constructor", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The generated constructor builds and registers the layers; initialise extra state elsewhere.", helpLinkUri: HelpBase + Ids.DeclaresConstructor + ".md");

    /// <summary>Layer member has the wrong type.</summary>
    public static readonly DiagnosticDescriptor WrongMemberType = new(
        Ids.WrongMemberType, "Layer member has the wrong type", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A member carrying a layer attribute must be declared with the runtime type of that layer.", helpLinkUri: HelpBase + Ids.WrongMemberType + ".md");

    /// <summary>Layer property cannot be generated.</summary>
    public static readonly DiagnosticDescriptor PropertyNotImplementable = new(
        Ids.PropertyNotImplementable, "Layer property cannot be generated", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A layer property must be 'partial' with only 'get;' so that the generator implements it.", helpLinkUri: HelpBase + Ids.PropertyNotImplementable + ".md");

    /// <summary>Layer size is not positive.</summary>
    public static readonly DiagnosticDescriptor SizeNotPositive = new(
        Ids.SizeNotPositive, "Layer size is not positive", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Layer sizes must be at least 1.", helpLinkUri: HelpBase + Ids.SizeNotPositive + ".md");

    /// <summary>Heads do not divide the width.</summary>
    public static readonly DiagnosticDescriptor HeadsDoNotDivideWidth = new(
        Ids.HeadsDoNotDivideWidth, "Heads do not divide the width", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The number of attention heads must divide the model width (and the head width must be even for rotary embeddings).", helpLinkUri: HelpBase + Ids.HeadsDoNotDivideWidth + ".md");

    /// <summary>Key/value heads do not divide the heads.</summary>
    public static readonly DiagnosticDescriptor KvHeadsDoNotDivideHeads = new(
        Ids.KvHeadsDoNotDivideHeads, "Key/value heads do not divide the heads", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "In grouped-query attention each key/value head serves the same number of query heads.", helpLinkUri: HelpBase + Ids.KvHeadsDoNotDivideHeads + ".md");

    /// <summary>Dropout probability out of range.</summary>
    public static readonly DiagnosticDescriptor DropoutOutOfRange = new(
        Ids.DropoutOutOfRange, "Dropout probability out of range", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A dropout probability must be in [0, 1).", helpLinkUri: HelpBase + Ids.DropoutOutOfRange + ".md");

    /// <summary>Block count out of range.</summary>
    public static readonly DiagnosticDescriptor RepeatCountNotPositive = new(
        Ids.RepeatCountNotPositive, "Block count out of range", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Repeat(n)] must repeat its block at least once, and neither it nor a family's Layers may declare more than 1024 blocks.", helpLinkUri: HelpBase + Ids.RepeatCountNotPositive + ".md");

    /// <summary>Repeated type is not a [Module].</summary>
    public static readonly DiagnosticDescriptor RepeatedTypeNotModule = new(
        Ids.RepeatedTypeNotModule, "Repeated type is not a [Module]", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Repeat] goes on a ModuleList<TBlock> whose TBlock is a partial class marked [Module].", helpLinkUri: HelpBase + Ids.RepeatedTypeNotModule + ".md");

    /// <summary>TiedTo names no embedding.</summary>
    public static readonly DiagnosticDescriptor TiedToUnknown = new(
        Ids.TiedToUnknown, "TiedTo names no embedding", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "TiedTo must name an [Embedding] member of the same class.", helpLinkUri: HelpBase + Ids.TiedToUnknown + ".md");

    /// <summary>Tied shapes do not match.</summary>
    public static readonly DiagnosticDescriptor TiedShapeMismatch = new(
        Ids.TiedShapeMismatch, "Tied shapes do not match", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A tied linear layer [in, out] must match its embedding [count, dim] as in = dim, out = count.", helpLinkUri: HelpBase + Ids.TiedShapeMismatch + ".md");

    /// <summary>Duplicate state-dict name.</summary>
    public static readonly DiagnosticDescriptor DuplicateStateName = new(
        Ids.DuplicateStateName, "Duplicate state-dict name", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Every layer of a class needs its own state-dict name.", helpLinkUri: HelpBase + Ids.DuplicateStateName + ".md");

    /// <summary>Layer arguments are not constants.</summary>
    public static readonly DiagnosticDescriptor IncompleteArguments = new(
        Ids.IncompleteArguments, "Layer arguments are not constants", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Layer attribute arguments must be compile-time constants of the declared types.", helpLinkUri: HelpBase + Ids.IncompleteArguments + ".md");

    /// <summary>Invalid state-dict name.</summary>
    public static readonly DiagnosticDescriptor InvalidStateName = new(
        Ids.InvalidStateName, "Invalid state-dict name", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A state-dict name must be non-empty and contain no '.'.", helpLinkUri: HelpBase + Ids.InvalidStateName + ".md");

    /// <summary>Block contains itself.</summary>
    public static readonly DiagnosticDescriptor RepeatCycle = new(
        Ids.RepeatCycle, "Block contains itself", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A [Module] cannot repeat itself, directly or through another block.", helpLinkUri: HelpBase + Ids.RepeatCycle + ".md");

    /// <summary>Epsilon or base not positive.</summary>
    public static readonly DiagnosticDescriptor EpsNotPositive = new(
        Ids.EpsNotPositive, "Epsilon or base not positive", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Normalisation epsilons, the rotary base and the rotary scaling factors must be finite numbers greater than 0.", helpLinkUri: HelpBase + Ids.EpsNotPositive + ".md");

    /// <summary>Model too large.</summary>
    public static readonly DiagnosticDescriptor ModelTooLarge = new(
        Ids.ModelTooLarge, "Model too large", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A model's sizes may not need more than 1 TB of fp32 weights (2.5·10^11 parameters); larger sizes are a typo.", helpLinkUri: HelpBase + Ids.ModelTooLarge + ".md");

    /// <summary>Rotary scaling arguments do not fit together.</summary>
    public static readonly DiagnosticDescriptor RopeScalingInvalid = new(
        Ids.RopeScalingInvalid, "Rotary scaling arguments do not fit together", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "RopeFactor needs a RopeScaling; LowFreqFactor, HighFreqFactor and OriginalContext need RopeScaling.Llama3, with HighFreqFactor above LowFreqFactor.", helpLinkUri: HelpBase + Ids.RopeScalingInvalid + ".md");

    /// <summary>config.json is not in AdditionalFiles.</summary>
    public static readonly DiagnosticDescriptor ConfigFileNotListed = new(
        Ids.ConfigFileNotListed, "config.json is not in AdditionalFiles", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[FromConfig] reads its file at compile time from the project's AdditionalFiles; list it there.", helpLinkUri: HelpBase + Ids.ConfigFileNotListed + ".md");

    /// <summary>config.json is not valid JSON.</summary>
    public static readonly DiagnosticDescriptor ConfigJsonMalformed = new(
        Ids.ConfigJsonMalformed, "config.json is not valid JSON", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The file [FromConfig] names must be a JSON object, as save_pretrained writes it.", helpLinkUri: HelpBase + Ids.ConfigJsonMalformed + ".md");

    /// <summary>Unsupported model_type.</summary>
    public static readonly DiagnosticDescriptor UnsupportedModelType = new(
        Ids.UnsupportedModelType, "Unsupported model_type", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[FromConfig] builds the families ModelDsl implements: model_type gpt2, llama, mistral, qwen2, qwen3, phi3 or gemma.", helpLinkUri: HelpBase + Ids.UnsupportedModelType + ".md");

    /// <summary>Unsupported or invalid config.json field.</summary>
    public static readonly DiagnosticDescriptor UnsupportedConfigField = new(
        Ids.UnsupportedConfigField, "Unsupported or invalid config.json field", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A config.json field is missing, of the wrong type, out of range, or asks for math ModelDsl does not implement; the runtime refuses the same file.", helpLinkUri: HelpBase + Ids.UnsupportedConfigField + ".md");

    /// <summary>An enum argument that names no member of its enum.</summary>
    public static readonly DiagnosticDescriptor UndefinedEnumValue = new(
        Ids.UndefinedEnumValue, "Undefined enum value", "{0}", Structure, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "An enum argument of a ModelDsl attribute must be one of the enum's members; a cast number such as (AdapterPlacement)7 would otherwise fall back to a default.", helpLinkUri: HelpBase + Ids.UndefinedEnumValue + ".md");

    /// <summary>LoRA rank is not positive.</summary>
    public static readonly DiagnosticDescriptor RankNotPositive = new(
        Ids.RankNotPositive, "LoRA rank is not positive", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The rank of a LoRA update must be at least 1.", helpLinkUri: HelpBase + Ids.RankNotPositive + ".md");

    /// <summary>LoRA rank exceeds the layer.</summary>
    public static readonly DiagnosticDescriptor RankTooLarge = new(
        Ids.RankTooLarge, "LoRA rank exceeds the layer", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The rank cannot exceed the smaller dimension of a targeted layer.", helpLinkUri: HelpBase + Ids.RankTooLarge + ".md");

    /// <summary>LoRA rank is not low.</summary>
    public static readonly DiagnosticDescriptor RankNotLow = new(
        Ids.RankNotLow, "LoRA rank is not low", "{0}", Lora, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A rank of at least half the layer's smaller dimension saves little over training the layer itself.", helpLinkUri: HelpBase + Ids.RankNotLow + ".md");

    /// <summary>LoRA alpha is not positive.</summary>
    public static readonly DiagnosticDescriptor AlphaNotPositive = new(
        Ids.AlphaNotPositive, "LoRA alpha is not positive", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Alpha scales the update by alpha / rank and must be greater than 0.", helpLinkUri: HelpBase + Ids.AlphaNotPositive + ".md");

    /// <summary>LoRA dropout out of range.</summary>
    public static readonly DiagnosticDescriptor LoraDropoutOutOfRange = new(
        Ids.LoraDropoutOutOfRange, "LoRA dropout out of range", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The LoRA dropout probability must be in [0, 1).", helpLinkUri: HelpBase + Ids.LoraDropoutOutOfRange + ".md");

    /// <summary>LoRA target matches no layer.</summary>
    public static readonly DiagnosticDescriptor TargetMatchesNothing = new(
        Ids.TargetMatchesNothing, "LoRA target matches no layer", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Each target must match at least one layer name (equal to it or ending with \".\" + it).", helpLinkUri: HelpBase + Ids.TargetMatchesNothing + ".md");

    /// <summary>LoRA target is not a linear layer.</summary>
    public static readonly DiagnosticDescriptor TargetNotLinear = new(
        Ids.TargetNotLinear, "LoRA target is not a linear layer", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "LoRA adapts linear layers; a target matched a normalisation, embedding or container.", helpLinkUri: HelpBase + Ids.TargetNotLinear + ".md");

    /// <summary>LoRA target regex is invalid.</summary>
    public static readonly DiagnosticDescriptor InvalidTargetRegex = new(
        Ids.InvalidTargetRegex, "LoRA target regex is invalid", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A single target containing regex metacharacters is a regular expression and must parse.", helpLinkUri: HelpBase + Ids.InvalidTargetRegex + ".md");

    /// <summary>LoRA layer index out of range.</summary>
    public static readonly DiagnosticDescriptor LayersOutOfRange = new(
        Ids.LayersOutOfRange, "LoRA layer index out of range", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Layers must list block indices that exist in the model.", helpLinkUri: HelpBase + Ids.LayersOutOfRange + ".md");

    /// <summary>LoRA target is a tied layer.</summary>
    public static readonly DiagnosticDescriptor TargetTied = new(
        Ids.TargetTied, "LoRA target is a tied layer", "{0}", Lora, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A layer that shares its weight with the embedding cannot carry a LoRA update.", helpLinkUri: HelpBase + Ids.TargetTied + ".md");

    /// <summary>Soft prompt has no tokens.</summary>
    public static readonly DiagnosticDescriptor PromptTokensNotPositive = new(
        Ids.PromptTokensNotPositive, "Soft prompt has no tokens", "{0}", Prompt, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A soft prompt needs at least one virtual token.", helpLinkUri: HelpBase + Ids.PromptTokensNotPositive + ".md");

    /// <summary>Soft prompt fills the context window.</summary>
    public static readonly DiagnosticDescriptor PromptFillsContext = new(
        Ids.PromptFillsContext, "Soft prompt fills the context window", "{0}", Prompt, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The virtual tokens must leave room for input in the model's context window.", helpLinkUri: HelpBase + Ids.PromptFillsContext + ".md");

    /// <summary>InitText with random initialisation.</summary>
    public static readonly DiagnosticDescriptor InitTextWithRandomInit = new(
        Ids.InitTextWithRandomInit, "InitText with random initialisation", "{0}", Prompt, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "InitText is used only with PromptInit.Text.", helpLinkUri: HelpBase + Ids.InitTextWithRandomInit + ".md");

    /// <summary>Two soft prompts on one setup.</summary>
    public static readonly DiagnosticDescriptor TwoSoftPrompts = new(
        Ids.TwoSoftPrompts, "Two soft prompts on one setup", "{0}", Prompt, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A setup has at most one soft prompt.", helpLinkUri: HelpBase + Ids.TwoSoftPrompts + ".md");

    /// <summary>Text initialisation without text.</summary>
    public static readonly DiagnosticDescriptor TextInitWithoutText = new(
        Ids.TextInitWithoutText, "Text initialisation without text", "{0}", Prompt, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "PromptInit.Text needs InitText.", helpLinkUri: HelpBase + Ids.TextInitWithoutText + ".md");

    /// <summary>FineTune target is not a generated model.</summary>
    public static readonly DiagnosticDescriptor NotAGeneratedModel = new(
        Ids.NotAGeneratedModel, "FineTune target is not a generated model", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[FineTune<T>] needs T to be a class marked [Model] or a family attribute ([Gpt2], [Llama], …, [FromConfig]).", helpLinkUri: HelpBase + Ids.NotAGeneratedModel + ".md");

    /// <summary>Setup declares no method.</summary>
    public static readonly DiagnosticDescriptor NoMethod = new(
        Ids.NoMethod, "Setup declares no method", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A setup needs one fine-tuning method attribute.", helpLinkUri: HelpBase + Ids.NoMethod + ".md");

    /// <summary>FullFineTune combined with another method.</summary>
    public static readonly DiagnosticDescriptor FullFineTuneCombined = new(
        Ids.FullFineTuneCombined, "FullFineTune combined with another method", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Full fine-tuning already trains everything; it stands alone.", helpLinkUri: HelpBase + Ids.FullFineTuneCombined + ".md");

    /// <summary>Methods cannot be combined.</summary>
    public static readonly DiagnosticDescriptor MethodsNotCombinable = new(
        Ids.MethodsNotCombinable, "Methods cannot be combined", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Soft prompts and bottleneck adapters stand alone; LoRA combines only with [Selective] and [BitFit].", helpLinkUri: HelpBase + Ids.MethodsNotCombinable + ".md");

    /// <summary>Adapter bottleneck out of range.</summary>
    public static readonly DiagnosticDescriptor BottleneckOutOfRange = new(
        Ids.BottleneckOutOfRange, "Adapter bottleneck out of range", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "The bottleneck must be at least 1 and smaller than the model width.", helpLinkUri: HelpBase + Ids.BottleneckOutOfRange + ".md");

    /// <summary>Selective pattern matches nothing.</summary>
    public static readonly DiagnosticDescriptor SelectiveMatchesNothing = new(
        Ids.SelectiveMatchesNothing, "Selective pattern matches nothing", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Each pattern must select at least one parameter.", helpLinkUri: HelpBase + Ids.SelectiveMatchesNothing + ".md");

    /// <summary>Selective has no patterns.</summary>
    public static readonly DiagnosticDescriptor SelectiveEmpty = new(
        Ids.SelectiveEmpty, "Selective has no patterns", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Selective] needs at least one pattern in Train.", helpLinkUri: HelpBase + Ids.SelectiveEmpty + ".md");

    /// <summary>Method needs a GPT-2 or Llama model.</summary>
    public static readonly DiagnosticDescriptor MethodNeedsLanguageModel = new(
        Ids.MethodNeedsLanguageModel, "Method needs a GPT-2 or Llama model", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Soft prompts and bottleneck adapters are inserted into the runtime's causal language models.", helpLinkUri: HelpBase + Ids.MethodNeedsLanguageModel + ".md");

    /// <summary>Layer is not reachable from the setup.</summary>
    public static readonly DiagnosticDescriptor Unreachable = new(
        Ids.Unreachable, "Layer is not reachable from the setup", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A layer a setup adapts or trains must be reached through public or internal members.", helpLinkUri: HelpBase + Ids.Unreachable + ".md");

    /// <summary>Method arguments are not constants.</summary>
    public static readonly DiagnosticDescriptor IncompleteMethod = new(
        Ids.IncompleteMethod, "Method arguments are not constants", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Method attribute arguments must be compile-time constants of the declared types.", helpLinkUri: HelpBase + Ids.IncompleteMethod + ".md");

    /// <summary>DPO beta is not positive.</summary>
    public static readonly DiagnosticDescriptor DpoBetaNotPositive = new(
        Ids.DpoBetaNotPositive, "DPO beta is not positive", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Dpo]'s Beta scales the implicit reward; it must be a finite number greater than 0.", helpLinkUri: HelpBase + Ids.DpoBetaNotPositive + ".md");

    /// <summary>DPO label smoothing out of range.</summary>
    public static readonly DiagnosticDescriptor LabelSmoothingOutOfRange = new(
        Ids.LabelSmoothingOutOfRange, "DPO label smoothing out of range", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Dpo]'s LabelSmoothing is the assumed share of flipped labels; it must lie in [0, 0.5).", helpLinkUri: HelpBase + Ids.LabelSmoothingOutOfRange + ".md");

    /// <summary>Label smoothing with the IPO loss.</summary>
    public static readonly DiagnosticDescriptor LabelSmoothingWithIpo = new(
        Ids.LabelSmoothingWithIpo, "Label smoothing with the IPO loss", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Label smoothing belongs to DPO's sigmoid loss; the IPO loss has none.", helpLinkUri: HelpBase + Ids.LabelSmoothingWithIpo + ".md");

    /// <summary>DPO on a setup that trains nothing.</summary>
    public static readonly DiagnosticDescriptor PreferenceTrainsNothing = new(
        Ids.PreferenceTrainsNothing, "DPO on a setup that trains nothing", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "DPO updates the setup's trainable parameters; a setup whose method selects none cannot move.", helpLinkUri: HelpBase + Ids.PreferenceTrainsNothing + ".md");

    /// <summary>Preference tuning needs a language model.</summary>
    public static readonly DiagnosticDescriptor PreferenceNeedsLanguageModel = new(
        Ids.PreferenceNeedsLanguageModel, "Preference tuning needs a language model", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Dpo] reads next-token logits and [RewardHead] final hidden states: a model family, or a custom model implementing ICausalLanguageModel or IHiddenStateModel.",
        helpLinkUri: HelpBase + Ids.PreferenceNeedsLanguageModel + ".md");

    /// <summary>Reward head on a soft-prompt setup.</summary>
    public static readonly DiagnosticDescriptor RewardHeadOnSoftPrompt = new(
        Ids.RewardHeadOnSoftPrompt, "Reward head on a soft-prompt setup", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A reward model is not implemented over prompt tuning's virtual tokens.", helpLinkUri: HelpBase + Ids.RewardHeadOnSoftPrompt + ".md");

    /// <summary>Quantized base of an unsupported width.</summary>
    public static readonly DiagnosticDescriptor QuantizeBitsUnsupported = new(
        Ids.QuantizeBitsUnsupported, "Quantization bits are not 4 or 8", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A quantized frozen base is NF4 (4 bits) or int8 absmax (8 bits), as bitsandbytes stores them.", helpLinkUri: HelpBase + Ids.QuantizeBitsUnsupported + ".md");

    /// <summary>4-bit block size bitsandbytes does not accept.</summary>
    public static readonly DiagnosticDescriptor QuantizeBlockSizeUnsupported = new(
        Ids.QuantizeBlockSizeUnsupported, "Quantization block size out of range", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A 4-bit block size is a power of two from 32 to 4096, as bitsandbytes accepts.", helpLinkUri: HelpBase + Ids.QuantizeBlockSizeUnsupported + ".md");

    /// <summary>Block size that does not divide a quantized layer's input width.</summary>
    public static readonly DiagnosticDescriptor QuantizeBlockSizeDoesNotDivide = new(
        Ids.QuantizeBlockSizeDoesNotDivide, "Quantization block size does not divide a layer", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Every 4-bit block must lie within one row of a quantized weight, so the block size must divide each quantized layer's input width.",
        helpLinkUri: HelpBase + Ids.QuantizeBlockSizeDoesNotDivide + ".md");

    /// <summary>Quantizing weights the setup trains.</summary>
    public static readonly DiagnosticDescriptor QuantizeTrainedWeights = new(
        Ids.QuantizeTrainedWeights, "Quantized base weights would be trained", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A quantized weight is frozen codes without gradients; a setup that trains the base's linear weights cannot quantize them.",
        helpLinkUri: HelpBase + Ids.QuantizeTrainedWeights + ".md");

    /// <summary>A 4-bit option on an 8-bit base.</summary>
    public static readonly DiagnosticDescriptor QuantizeFourBitOptionOnEightBit = new(
        Ids.QuantizeFourBitOptionOnEightBit, "4-bit option on an 8-bit base", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "BlockSize and DoubleQuantization describe 4-bit storage; an 8-bit base has one scale per row.", helpLinkUri: HelpBase + Ids.QuantizeFourBitOptionOnEightBit + ".md");

    /// <summary>A quantized base with nothing to quantize.</summary>
    public static readonly DiagnosticDescriptor QuantizeFindsNoLayer = new(
        Ids.QuantizeFindsNoLayer, "Quantize finds no layer", "{0}", Setup, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Quantize] stores the linear layers of a model's repeated blocks; a model without any would be left as it is.",
        helpLinkUri: HelpBase + Ids.QuantizeFindsNoLayer + ".md");

    /// <summary>Placeholder without a parameter.</summary>
    public static readonly DiagnosticDescriptor PlaceholderWithoutParameter = new(
        Ids.PlaceholderWithoutParameter, "Placeholder without a parameter", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Every {name} in a prompt template must be a parameter of the method.", helpLinkUri: HelpBase + Ids.PlaceholderWithoutParameter + ".md");

    /// <summary>Parameter not used by the prompt.</summary>
    public static readonly DiagnosticDescriptor ParameterNotUsed = new(
        Ids.ParameterNotUsed, "Parameter not used by the prompt", "{0}", Client, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A parameter that no placeholder uses never reaches the model.", helpLinkUri: HelpBase + Ids.ParameterNotUsed + ".md");

    /// <summary>Unsupported return type.</summary>
    public static readonly DiagnosticDescriptor UnsupportedReturnType = new(
        Ids.UnsupportedReturnType, "Unsupported return type", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A prompt method returns string, IAsyncEnumerable<string>, an enum or bool.", helpLinkUri: HelpBase + Ids.UnsupportedReturnType + ".md");

    /// <summary>Client target is not a language model.</summary>
    public static readonly DiagnosticDescriptor ClientTargetNotLanguageModel = new(
        Ids.ClientTargetNotLanguageModel, "Client target is not a language model", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[InferenceClient<T>] needs a [Gpt2] or [Llama] model, or a [FineTune<T>] setup over one.", helpLinkUri: HelpBase + Ids.ClientTargetNotLanguageModel + ".md");

    /// <summary>Prompt method cannot be generated.</summary>
    public static readonly DiagnosticDescriptor PromptMethodNotImplementable = new(
        Ids.PromptMethodNotImplementable, "Prompt method cannot be generated", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A [Prompt] method must be partial, without a body, generic parameters or ref parameters.", helpLinkUri: HelpBase + Ids.PromptMethodNotImplementable + ".md");

    /// <summary>Example needs a one-placeholder template.</summary>
    public static readonly DiagnosticDescriptor ExampleNeedsOnePlaceholder = new(
        Ids.ExampleNeedsOnePlaceholder, "Example needs a one-placeholder template", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "[Example(input, output)] fills the template's only placeholder with input.", helpLinkUri: HelpBase + Ids.ExampleNeedsOnePlaceholder + ".md");

    /// <summary>MaxNewTokens is not positive.</summary>
    public static readonly DiagnosticDescriptor MaxNewTokensNotPositive = new(
        Ids.MaxNewTokensNotPositive, "MaxNewTokens is not positive", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A text method generates at least one token.", helpLinkUri: HelpBase + Ids.MaxNewTokensNotPositive + ".md");

    /// <summary>Sampling setting out of range.</summary>
    public static readonly DiagnosticDescriptor SamplingOutOfRange = new(
        Ids.SamplingOutOfRange, "Sampling setting out of range", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Temperature must be at least 0, TopK at least 0 and TopP in (0, 1].", helpLinkUri: HelpBase + Ids.SamplingOutOfRange + ".md");

    /// <summary>Malformed prompt template.</summary>
    public static readonly DiagnosticDescriptor MalformedTemplate = new(
        Ids.MalformedTemplate, "Malformed prompt template", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "Placeholders are {name}; literal braces are written {{ and }}.", helpLinkUri: HelpBase + Ids.MalformedTemplate + ".md");

    /// <summary>Enum answer without labels.</summary>
    public static readonly DiagnosticDescriptor EnumWithoutLabels = new(
        Ids.EnumWithoutLabels, "Enum answer without labels", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A method answering with an enum chooses among its members; the enum needs at least one.", helpLinkUri: HelpBase + Ids.EnumWithoutLabels + ".md");

    /// <summary>An enum member's or a bool's answer label is empty, shared, or set where there is no bool answer.</summary>
    public static readonly DiagnosticDescriptor InvalidAnswerLabel = new(
        Ids.InvalidAnswerLabel, "Invalid answer label", "{0}", Client, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A choosing method scores each answer's label after the prompt: every label needs text, no two answers of one method may share a label, and TrueLabel/FalseLabel apply only to a bool answer.",
        helpLinkUri: HelpBase + Ids.InvalidAnswerLabel + ".md");

    /// <summary>The smallest JSON answer of a record takes more tokens than MaxNewTokens allows.</summary>
    public static readonly DiagnosticDescriptor SmallestAnswerExceedsMaxNewTokens = new(
        Ids.SmallestAnswerExceedsMaxNewTokens, "Smallest answer exceeds MaxNewTokens", "{0}", Client, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "Every word and number of a record's smallest JSON ends a token under GPT-2, Llama 3 and Qwen tokenizers; when MaxNewTokens is below that count, every answer is cut off before it is complete.",
        helpLinkUri: HelpBase + Ids.SmallestAnswerExceedsMaxNewTokens + ".md");

    /// <summary>The smallest JSON answer of a record, after a prompt of at least one token, does not fit the model's context window.</summary>
    public static readonly DiagnosticDescriptor SmallestAnswerExceedsContext = new(
        Ids.SmallestAnswerExceedsContext, "Smallest answer exceeds the context window", "{0}", Client, DiagnosticSeverity.Warning, isEnabledByDefault: true,
        description: "A prompt of at least one token and the smallest JSON of the answer's record must fit the declared model's context window together; otherwise no call can return a complete answer.",
        helpLinkUri: HelpBase + Ids.SmallestAnswerExceedsContext + ".md");

    /// <summary>The project's own entry point would shadow the generated command line.</summary>
    public static readonly DiagnosticDescriptor EntryPointShadowsCommandLine = new(
        Ids.EntryPointShadowsCommandLine, "Entry point shadows the generated command line", "{0}", CommandLine, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "With ModelDslCommandLine set to true ModelDsl generates Main; top-level statements or another Main would replace it (the compiler only warns, CS7022) or clash with it.",
        helpLinkUri: HelpBase + Ids.EntryPointShadowsCommandLine + ".md");

    /// <summary>Every descriptor, in ID order.</summary>
    public static ImmutableArray<DiagnosticDescriptor> Supported { get; } = ImmutableArray.Create(
        NotPartial,
        GenericNotSupported,
        HasBaseType,
        DeclaresConstructor,
        WrongMemberType,
        PropertyNotImplementable,
        SizeNotPositive,
        HeadsDoNotDivideWidth,
        KvHeadsDoNotDivideHeads,
        DropoutOutOfRange,
        RepeatCountNotPositive,
        RepeatedTypeNotModule,
        TiedToUnknown,
        TiedShapeMismatch,
        DuplicateStateName,
        IncompleteArguments,
        InvalidStateName,
        RepeatCycle,
        EpsNotPositive,
        ModelTooLarge,
        RopeScalingInvalid,
        ConfigFileNotListed,
        ConfigJsonMalformed,
        UnsupportedModelType,
        UnsupportedConfigField,
        UndefinedEnumValue,
        GeneratorFailed,
        RankNotPositive,
        RankTooLarge,
        RankNotLow,
        AlphaNotPositive,
        LoraDropoutOutOfRange,
        TargetMatchesNothing,
        TargetNotLinear,
        InvalidTargetRegex,
        LayersOutOfRange,
        TargetTied,
        PromptTokensNotPositive,
        PromptFillsContext,
        InitTextWithRandomInit,
        TwoSoftPrompts,
        TextInitWithoutText,
        NotAGeneratedModel,
        NoMethod,
        FullFineTuneCombined,
        MethodsNotCombinable,
        BottleneckOutOfRange,
        SelectiveMatchesNothing,
        SelectiveEmpty,
        MethodNeedsLanguageModel,
        Unreachable,
        IncompleteMethod,
        DpoBetaNotPositive,
        LabelSmoothingOutOfRange,
        LabelSmoothingWithIpo,
        PreferenceTrainsNothing,
        PreferenceNeedsLanguageModel,
        RewardHeadOnSoftPrompt,
        QuantizeBitsUnsupported,
        QuantizeBlockSizeUnsupported,
        QuantizeBlockSizeDoesNotDivide,
        QuantizeTrainedWeights,
        QuantizeFourBitOptionOnEightBit,
        QuantizeFindsNoLayer,
        PlaceholderWithoutParameter,
        ParameterNotUsed,
        UnsupportedReturnType,
        ClientTargetNotLanguageModel,
        PromptMethodNotImplementable,
        ExampleNeedsOnePlaceholder,
        MaxNewTokensNotPositive,
        SamplingOutOfRange,
        MalformedTemplate,
        EnumWithoutLabels,
        InvalidAnswerLabel,
        SmallestAnswerExceedsMaxNewTokens,
        SmallestAnswerExceedsContext,
        EntryPointShadowsCommandLine
    ).Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));

    /// <summary>Every descriptor, by ID.</summary>
    public static ImmutableDictionary<string, DiagnosticDescriptor> ById { get; } = Supported.ToImmutableDictionary(d => d.Id);
}
