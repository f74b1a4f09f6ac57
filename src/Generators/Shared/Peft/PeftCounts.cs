using System.Globalization;

namespace ModelDsl.Shared.Peft;

/// <summary>
/// Parameter arithmetic of the PEFT methods and PEFT's summary line, written once: the generator's constants and XML
/// docs and the runtime's counts use these.
/// </summary>
internal static class PeftCounts
{
    /// <summary>LoRA's trainable elements on one layer: <c>r·(in + out)</c> (<c>lora_A [r, in]</c>, <c>lora_B [out, r]</c>).</summary>
    public static long Lora(long inFeatures, long outFeatures, int rank) => rank * (inFeatures + outFeatures);

    /// <summary>A soft prompt's trainable elements: tokens · dim.</summary>
    public static long SoftPrompt(long tokens, long dim) => tokens * dim;

    /// <summary>One bottleneck adapter's elements: <c>2·dim·b + b + dim</c> (down and up weights and biases).</summary>
    public static long Bottleneck(long dim, long bottleneck) => 2 * dim * bottleneck + bottleneck + dim;

    /// <summary>PEFT's <c>print_trainable_parameters</c> line: <c>trainable params: 1,234 || all params: 5,678 || trainable%: 21.7330</c>.</summary>
    public static string Summary(long trainable, long all)
    {
        double percent = all == 0 ? 0.0 : 100.0 * trainable / all;
        return string.Format(CultureInfo.InvariantCulture, "trainable params: {0:N0} || all params: {1:N0} || trainable%: {2:F4}", trainable, all, percent);
    }
}
