namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// Diagnostic IDs, reserved by area: 001–039 model structure, 100–139 LoRA, 140–159 soft prompts,
/// 160–199 adapters, selective and setups, 200–239 inference clients, 240–259 the generated command line.
/// </summary>
internal static class DiagnosticIds
{
    // Declarations and model structure.
    public const string NotPartial = "MDSL001";
    public const string GenericNotSupported = "MDSL002";
    public const string HasBaseType = "MDSL003";
    public const string DeclaresConstructor = "MDSL004";
    public const string WrongMemberType = "MDSL005";
    public const string PropertyNotImplementable = "MDSL006";
    public const string SizeNotPositive = "MDSL007";
    public const string HeadsDoNotDivideWidth = "MDSL008";
    public const string KvHeadsDoNotDivideHeads = "MDSL009";
    public const string DropoutOutOfRange = "MDSL010";
    public const string RepeatCountNotPositive = "MDSL011";
    public const string RepeatedTypeNotModule = "MDSL012";
    public const string TiedToUnknown = "MDSL013";
    public const string TiedShapeMismatch = "MDSL014";
    public const string DuplicateStateName = "MDSL015";
    public const string IncompleteArguments = "MDSL016";
    public const string InvalidStateName = "MDSL017";
    public const string RepeatCycle = "MDSL018";
    public const string EpsNotPositive = "MDSL019";
    public const string ModelTooLarge = "MDSL020";
    public const string RopeScalingInvalid = "MDSL021";
    public const string ConfigFileNotListed = "MDSL022";
    public const string ConfigJsonMalformed = "MDSL023";
    public const string UnsupportedModelType = "MDSL024";
    public const string UnsupportedConfigField = "MDSL025";
    public const string UndefinedEnumValue = "MDSL026";

    /// <summary>The generator itself failed (a bug in ModelDsl, not in the declaration); reported by the generator.</summary>
    public const string GeneratorFailed = "MDSL039";

    // LoRA.
    public const string RankNotPositive = "MDSL100";
    public const string RankTooLarge = "MDSL101";
    public const string RankNotLow = "MDSL102";
    public const string AlphaNotPositive = "MDSL103";
    public const string LoraDropoutOutOfRange = "MDSL104";
    public const string TargetMatchesNothing = "MDSL105";
    public const string TargetNotLinear = "MDSL106";
    public const string InvalidTargetRegex = "MDSL107";
    public const string LayersOutOfRange = "MDSL108";
    public const string TargetTied = "MDSL109";

    // Soft prompts.
    public const string PromptTokensNotPositive = "MDSL140";
    public const string PromptFillsContext = "MDSL141";
    public const string InitTextWithRandomInit = "MDSL142";
    public const string TwoSoftPrompts = "MDSL143";
    public const string TextInitWithoutText = "MDSL144";

    // Setups, adapters and selective fine-tuning.
    public const string NotAGeneratedModel = "MDSL160";
    public const string NoMethod = "MDSL161";
    public const string FullFineTuneCombined = "MDSL162";
    public const string MethodsNotCombinable = "MDSL163";
    public const string BottleneckOutOfRange = "MDSL164";
    public const string SelectiveMatchesNothing = "MDSL165";
    public const string SelectiveEmpty = "MDSL166";
    public const string MethodNeedsLanguageModel = "MDSL167";
    public const string Unreachable = "MDSL168";
    public const string IncompleteMethod = "MDSL169";

    // Preference tuning on setups ([Dpo], [RewardHead]); the argument bounds are shared with the runtime (PreferenceArguments).
    public const string DpoBetaNotPositive = "MDSL170";
    public const string LabelSmoothingOutOfRange = "MDSL171";
    public const string LabelSmoothingWithIpo = "MDSL172";
    public const string PreferenceTrainsNothing = "MDSL173";
    public const string PreferenceNeedsLanguageModel = "MDSL174";
    public const string RewardHeadOnSoftPrompt = "MDSL175";

    // A quantized frozen base ([Quantize]); the argument bounds are shared with the runtime (QuantizationArguments).
    public const string QuantizeBitsUnsupported = "MDSL176";
    public const string QuantizeBlockSizeUnsupported = "MDSL177";
    public const string QuantizeBlockSizeDoesNotDivide = "MDSL178";
    public const string QuantizeTrainedWeights = "MDSL179";
    public const string QuantizeFourBitOptionOnEightBit = "MDSL180";
    public const string QuantizeFindsNoLayer = "MDSL181";

    // Inference clients.
    public const string PlaceholderWithoutParameter = "MDSL200";
    public const string ParameterNotUsed = "MDSL201";
    public const string UnsupportedReturnType = "MDSL202";
    public const string ClientTargetNotLanguageModel = "MDSL203";
    public const string PromptMethodNotImplementable = "MDSL204";
    public const string ExampleNeedsOnePlaceholder = "MDSL205";
    public const string MaxNewTokensNotPositive = "MDSL206";
    public const string SamplingOutOfRange = "MDSL207";
    public const string MalformedTemplate = "MDSL208";
    public const string EnumWithoutLabels = "MDSL209";
    public const string InvalidAnswerLabel = "MDSL210";
    public const string SmallestAnswerExceedsMaxNewTokens = "MDSL211";
    public const string SmallestAnswerExceedsContext = "MDSL212";

    // The generated command line.
    public const string EntryPointShadowsCommandLine = "MDSL240";
}
