using ApprovalTests;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Snapshots;

public class SetupSnapshotTests
{
    [Fact]
    public void LoraOnGpt2Small() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "Gpt2Lora"));

    [Fact]
    public void SoftPromptWithTextInit() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "Gpt2Prompt"));

    [Fact]
    public void HoulsbyAdaptersOnLlama() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "LlamaAdapters"));

    [Fact]
    public void RsLoraOnOneLlamaLayerUsesPeftDefaultTargets() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "LlamaLora"));

    [Fact]
    public void DpoAndRewardHeadOnLlamaLora() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.PreferenceSetups).Result, "LlamaPreferences"));

    [Fact]
    public void QLoraOnGpt2StoresTheBlocksLinearLayersInFourBits() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.QuantizedSetups).Result, "Gpt2QLora"));

    [Fact]
    public void LoraOnAnEightBitLlama() =>
        Approvals.Verify(GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.QuantizedSetups).Result, "LlamaInt8Lora"));
}
