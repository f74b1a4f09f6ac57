using System.Globalization;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Memory;

/// <summary>The memory line of a generated setup's remarks, against sums written out here.</summary>
public class SetupMemoryDocTests
{
    static string Mib(long bytes) => (bytes / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";

    [Fact]
    public void Gpt2_small_lora_states_one_fp32_step_at_its_full_context()
    {
        var text = GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "Gpt2Lora");

        // Published counts: GPT-2 small 124,439,808 parameters; LoRA r=8 on the 12 c_attn layers 12·8·(768 + 2304) = 294,912.
        const long frozen = 124_439_808, trainable = 294_912;
        const long d = 768, heads = 12, vocab = 50_257, rank = 8, tokens = 1024;
        // Per token and block (fp32): ln_1 input + 2 statistics, c_attn's input kept by lora_A, lora_A's rank-8 output,
        // q/k/v, attention output + log-sum-exp per head, ln_2 input + 2 statistics, GELU's 4·768 input; frozen linears keep nothing.
        long block = (d + 2) * 4 + d * 4 + rank * 4 + 3 * d * 4 + (d + heads) * 4 + (d + 2) * 4 + 4 * d * 4;
        long head = (d + 2) * 4;                       // ln_f; the tied head is frozen
        long loss = 4 * vocab * 4;                     // logits, log-softmax and, in backward, both gradients
        long activations = tokens * (12 * block + head + loss);
        long weights = 4 * (frozen + trainable);
        long total = weights + 4 * trainable + 8 * trainable + activations;

        Assert.Contains("/// Memory of one training step (AdamW) at batch 1 × 1,024 tokens, fp32, no gradient checkpointing:", text);
        Assert.Contains($"/// {Mib(total)} = weights {Mib(weights)} (trainable {Mib(4 * trainable)}, frozen {Mib(4 * frozen)})"
                        + $" + gradients {Mib(4 * trainable)} + AdamW state {Mib(8 * trainable)}"
                        + $" + activations {Mib(activations)} (of which logits and loss {Mib(tokens * loss)}).", text);
        Assert.Contains("/// In bf16 with gradient checkpointing:", text);
        Assert.Contains("EstimateMemory(batch, sequence, options)", text);
    }

    [Fact]
    public void Bf16_with_checkpointing_halves_the_frozen_base_and_keeps_fp32_masters()
    {
        var text = GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "Gpt2Lora");
        const long frozen = 124_439_808, trainable = 294_912;
        Assert.Contains($"(trainable {Mib(2 * trainable)}, frozen {Mib(2 * frozen)}, fp32 masters {Mib(4 * trainable)})"
                        + $" + gradients {Mib(6 * trainable)} + AdamW state {Mib(8 * trainable)}", text);
    }

    [Fact]
    public void Prompt_tuning_says_its_activations_are_not_estimated()
    {
        var text = GeneratorHarness.GeneratedText(GeneratorHarness.Run(Declarations.Setups).Result, "Gpt2Prompt");
        Assert.Contains("(activations not estimated)", text);
        Assert.Contains("not for prompt tuning.", text);
    }
}
