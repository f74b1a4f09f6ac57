using System.Threading.Tasks;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL176–181: a quantized frozen base declared on a setup ([Quantize]).</summary>
public class QuantizeDiagnosticsTests
{
    const string Gpt2 = """
        using ModelDsl;
        [Gpt2(Layers = 2, Dim = 64, Heads = 4, Vocab = 100, Context = 32)]
        public partial class SmallGpt;

        """;

    const string Llama = """
        using ModelDsl;
        [Llama(Layers = 2, Dim = 64, Heads = 4, KvHeads = 2, Ffn = 176, Vocab = 500, Context = 128)]
        public partial class SmallLlama;

        """;

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    public Task BitsThatAreNeitherFourNorEight(int bits) => VerifyAsync(Gpt2 + $$"""
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Quantize({|#0:Bits = {{bits}}|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL176").WithLocation(0)
            .WithMessage($"Bits = {bits}: a quantized base is 4-bit (NF4, as QLoRA) or 8-bit (int8 absmax per row, as bitsandbytes' LLM.int8() weights); use Bits = 4 or Bits = 8."));

    [Theory]
    [InlineData(48)]
    [InlineData(16)]
    [InlineData(8192)]
    [InlineData(0)]
    public Task BlockSizeOutsideBitsandbytesRange(int blockSize) => VerifyAsync(Gpt2 + $$"""
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Quantize(Bits = 4, {|#0:BlockSize = {{blockSize}}|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL177").WithLocation(0)
            .WithMessage($"BlockSize = {blockSize}: a 4-bit block size is a power of two from 32 to 4096, as bitsandbytes accepts (32, 64, 128, 256, 512, 1024, 2048, 4096); 64 is the default."));

    [Fact]
    public Task BlockSizeThatDoesNotDivideALayerNamesTheLayerAndASizeThatFits() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Quantize({|#0:BlockSize = 128|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL178").WithLocation(0)
            .WithMessage("BlockSize = 128 does not divide the input width 64 of 'transformer.h.0.attn.c_attn' (64 = 0·128 + 64): a block would span two rows of its weight. Use a block size that divides 64, e.g. 64."));

    [Fact]
    public Task DefaultBlockSizeThatNoBlockSizeDividesPointsAtEightBits() => VerifyAsync(Llama + """
        [FineTune<SmallLlama>]
        [LoRA(8)]
        [{|#0:Quantize(Bits = 4)|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL178").WithLocation(0)
            .WithMessage("BlockSize = 64 does not divide the input width 176 of 'model.layers.0.mlp.down_proj' (176 = 2·64 + 48): a block would span two rows of its weight. Use a block size that divides 176 — none of 32, 64, 128, 256, 512, 1024, 2048, 4096 does, so quantize this model with Bits = 8."));

    [Fact]
    public Task FullFineTuningOfAQuantizedBase() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [FullFineTune]
        [{|#0:Quantize|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL179").WithLocation(0)
            .WithMessage("[FullFineTune] trains every weight of 'SmallGpt', but [Quantize] stores the blocks' linear weights as frozen 4-bit codes, which have no gradient. Train adapters on the quantized base (e.g. [LoRA(8)], QLoRA), or remove [Quantize]."));

    [Fact]
    public Task SelectiveTrainingOfAQuantizedWeight() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>]
        [Selective(Train = ["ln_f", "h.1.*"])]
        [{|#0:Quantize(Bits = 8)|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL179").WithLocation(0)
            .WithMessage("[Selective] trains 'transformer.h.1.attn.c_attn.weight', but [Quantize] stores that weight as frozen 8-bit codes, which have no gradient. Select only biases, norms, embeddings or the head, or remove [Quantize]."));

    [Theory]
    [InlineData("BlockSize = 64", "BlockSize")]
    [InlineData("DoubleQuantization = true", "DoubleQuantization")]
    public Task FourBitOptionOnAnEightBitBase(string written, string option) => VerifyAsync(Gpt2 + $$"""
        [FineTune<SmallGpt>]
        [LoRA(8)]
        [Quantize(Bits = 8, {|#0:{{written}}|})]
        public partial class Setup;
        """,
        Diagnostic("MDSL180").WithLocation(0)
            .WithMessage($"{option} with Bits = 8: an 8-bit base has one absmax scale per row, with neither blocks nor nested scales (as bitsandbytes' int8 weights); remove it, or use Bits = 4."));

    [Fact]
    public Task CustomModelWithoutRepeatedBlocks() => VerifyAsync("""
        using ModelDsl;
        using ModelDsl.Layers;

        [Model]
        public partial class Classifier
        {
            [Linear(64, 64)] public partial Linear Hidden { get; }
            [Linear(64, 8)] public partial Linear Head { get; }
        }

        [FineTune<Classifier>]
        [LoRA(4, Targets = ["hidden"])]
        [{|#0:Quantize|}]
        public partial class Setup;
        """,
        Diagnostic("MDSL181").WithLocation(0)
            .WithMessage("[Quantize] finds no linear layer inside a repeated block of 'Classifier' (it leaves embeddings, heads and layers outside [Repeat] blocks in floating point), so it would change nothing; remove [Quantize], or declare the layers in a [Module] block that the model repeats with [Repeat]."));

    [Fact]
    public Task QuantizedBasesUnderEveryMethodThatLeavesTheirWeightsFrozenAreValid() => VerifyAsync(Gpt2 + """
        [FineTune<SmallGpt>, LoRA(8), Quantize(Bits = 4)]
        public partial class QLora;

        [FineTune<SmallGpt>, LoRA(8), Quantize(Bits = 8)]
        public partial class Int8Lora;

        [FineTune<SmallGpt>, Adapter(Bottleneck = 8), Quantize(BlockSize = 32, DoubleQuantization = false)]
        public partial class QuantizedAdapters;

        [FineTune<SmallGpt>, SoftPrompt(4), Quantize]
        public partial class QuantizedPrompt;

        [FineTune<SmallGpt>, BitFit, Quantize]
        public partial class QuantizedBitFit;

        [FineTune<SmallGpt>, Selective(Train = ["ln_f", "h.1.attn.c_attn.bias"]), Quantize]
        public partial class QuantizedSelective;
        """);
}
