namespace ModelDsl.Generators.Validation;

/// <summary>
/// Diagnostic IDs, reserved by area: 001–039 model structure, 100–139 LoRA, 140–159 soft prompts,
/// 160–199 adapters, selective and setups, 200–239 inference clients.
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
}
