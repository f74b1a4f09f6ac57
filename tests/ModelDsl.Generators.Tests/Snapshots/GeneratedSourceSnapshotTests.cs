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

    [Fact]
    public void InferenceClient() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Clients).Result, "ReviewClient"));

    [Fact]
    public void AsyncAndRecordClient() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.AsyncClients).Result, "StoryClient"));
}
