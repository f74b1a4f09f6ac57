using System.Threading.Tasks;
using ModelDsl.Generators.Tests.Support;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>One test per [FromConfig] diagnostic, with the file in (or missing from) the project's AdditionalFiles.</summary>
public class FromConfigDiagnosticsTests
{
    const string Declaration = """
        using ModelDsl;
        [FromConfig({|#0:"models/tiny-qwen2/config.json"|})]
        public partial class TinyQwen;
        """;

    static (string, string)[] File(string json) => [("/repo/app/models/tiny-qwen2/config.json", json)];

    [Fact]
    public Task AValidConfigHasNoDiagnostics() =>
        VerifyWithFilesAsync(Declaration.Replace("{|#0:", "").Replace("|}", ""), File(Declarations.TinyQwen2ConfigJson));

    [Fact]
    public Task FileNotInAdditionalFiles() => VerifyWithFilesAsync(Declaration, [("/repo/app/models/other/config.json", Declarations.TinyQwen2ConfigJson)],
        Diagnostic("MDSL022").WithLocation(0).WithMessage(
            "\"models/tiny-qwen2/config.json\" is not among the project's AdditionalFiles, so the generator cannot read it; add <AdditionalFiles Include=\"models/tiny-qwen2/config.json\" /> to an <ItemGroup> of the project file (the path relative to the project)."));

    [Fact]
    public Task MalformedJsonSaysWhere() => VerifyWithFilesAsync(Declaration, File("{\n  \"model_type\": \"qwen2\",\n  \"hidden_size\": 64,\n}"),
        Diagnostic("MDSL023").WithLocation(0).WithMessage(
            "\"models/tiny-qwen2/config.json\" is not valid JSON: expected a property name in double quotes at line 4, column 1 (offset 48); fix the file (a config.json as save_pretrained writes it)."));

    [Fact]
    public Task UnsupportedModelTypeListsTheSupportedOnes() =>
        VerifyWithFilesAsync(Declaration, File(Declarations.TinyQwen2ConfigJson.Replace("\"model_type\": \"qwen2\"", "\"model_type\": \"bert\"")),
            Diagnostic("MDSL024").WithLocation(0).WithMessage(
                "\"models/tiny-qwen2/config.json\" describes a \"bert\" model (field \"model_type\"), which ModelDsl does not implement; supported: \"gpt2\", \"llama\", \"mistral\", \"qwen2\", \"qwen3\", \"phi3\", \"gemma\"."));

    [Fact]
    public Task UnsupportedFieldIsNamed() =>
        VerifyWithFilesAsync(Declaration, File(Declarations.TinyQwen2ConfigJson.Replace("\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0}")),
            Diagnostic("MDSL025").WithLocation(0).WithMessage(
                "\"models/tiny-qwen2/config.json\" field \"rope_scaling.rope_type\" is \"yarn\", which is not supported: rotary scaling \"yarn\" is not implemented; ModelDsl implements \"linear\" and \"llama3\"."));

    [Fact]
    public Task InvalidFieldIsNamedWithTheSharedRule() =>
        VerifyWithFilesAsync(Declaration, File(Declarations.TinyQwen2ConfigJson.Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3")),
            Diagnostic("MDSL025").WithLocation(0).WithMessage(
                "\"models/tiny-qwen2/config.json\": Config field num_key_value_heads = 3 must divide num_attention_heads = 4; try 2."));

    [Fact]
    public Task ASetupOverAMissingConfigWaitsForIt() => VerifyWithFilesAsync(Declaration + """

        [FineTune<TinyQwen>]
        [LoRA(4)]
        public partial class Setup;
        """, [],
        // Only the model's own problem is reported; the setup is checked once the model is readable.
        Diagnostic("MDSL022").WithLocation(0).WithMessage(
            "\"models/tiny-qwen2/config.json\" is not among the project's AdditionalFiles, so the generator cannot read it; add <AdditionalFiles Include=\"models/tiny-qwen2/config.json\" /> to an <ItemGroup> of the project file (the path relative to the project)."));

    [Fact]
    public Task ASetupOverAConfigModelIsChecked() => VerifyWithFilesAsync(Declaration.Replace("{|#0:", "").Replace("|}", "") + """

        [FineTune<TinyQwen>]
        [LoRA(4, Targets = [{|#1:"q_prj"|}])]
        public partial class Setup;
        """, File(Declarations.TinyQwen2ConfigJson),
        Diagnostic("MDSL105").WithLocation(1).WithMessage("The LoRA target \"q_prj\" matches no layer of 'TinyQwen'; closest names: \"q_proj\", \"k_proj\", \"o_proj\"."));
}
