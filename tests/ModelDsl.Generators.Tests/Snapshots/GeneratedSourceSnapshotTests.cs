using ApprovalTests;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Snapshots;

public class GeneratedSourceSnapshotTests
{
    [Fact]
    public void TinyGptModel() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.TinyGpt).Result, "Demo.TinyGpt"));

    [Fact]
    public void TransformerBlock() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.TinyGpt).Result, "Demo.Block"));

    [Fact]
    public void NestedClassifierWithFieldsAndTwoInputForward() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Classifier).Result, "TinyClassifier"));

    [Fact]
    public void Gpt2Family() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Families).Result, "StoryGpt"));

    [Fact]
    public void LlamaFamily() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Families).Result, "TinyLlama"));

    [Theory]
    [InlineData("TinyLlama3")]
    [InlineData("TinyMistral")]
    [InlineData("TinyQwen2")]
    [InlineData("TinyQwen3")]
    [InlineData("TinyPhi3")]
    [InlineData("TinyGemma")]
    public void NewFamily(string type)
    {
        using (ApprovalTests.Namers.ApprovalResults.ForScenario(type))
            Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.NewFamilies).Result, type));
    }

    [Fact]
    public void FromConfigQwen2() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(
            GeneratorHarness.RunWithFiles([Declarations.TinyQwen2Config()], Declarations.FromConfig).Result, "TinyQwenFromConfig"));

    [Fact]
    public void LoraOverAFromConfigModelUsesTheFamilyDefaults() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(
            GeneratorHarness.RunWithFiles([Declarations.TinyQwen2Config()], Declarations.FromConfig).Result, "TinyQwenLora"));

    [Fact]
    public void InferenceClient() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Clients).Result, "ReviewClient"));

    [Fact]
    public void AsyncAndRecordClient() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.AsyncClients).Result, "StoryClient"));
}
