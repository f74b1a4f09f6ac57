namespace ModelDsl.Layers;

/// <summary>How rotary frequencies are rescaled for a longer context (Hugging Face's <c>rope_scaling.rope_type</c>).</summary>
public enum RotaryScalingType
{
    /// <summary><c>linear</c>: every frequency divided by the factor (position interpolation).</summary>
    Linear,
    /// <summary><c>llama3</c>: low frequencies divided by the factor, high ones kept, the band between interpolated.</summary>
    Llama3,
}

/// <summary>
/// Rotary scaling as Hugging Face's <c>rope_scaling</c> object holds it. Use <see cref="Linear"/> or <see cref="Llama3"/>.
/// </summary>
/// <param name="Type">The rope type.</param>
/// <param name="Factor"><c>factor</c>.</param>
/// <param name="LowFreqFactor"><c>low_freq_factor</c> (llama3; 0 for linear).</param>
/// <param name="HighFreqFactor"><c>high_freq_factor</c> (llama3; 0 for linear).</param>
/// <param name="OriginalContext"><c>original_max_position_embeddings</c> (llama3; 0 for linear).</param>
public sealed record RotaryScaling(RotaryScalingType Type, double Factor, double LowFreqFactor, double HighFreqFactor, int OriginalContext)
{
    /// <summary>Linear scaling: positions effectively divided by <paramref name="factor"/>.</summary>
    public static RotaryScaling Linear(double factor) => new(RotaryScalingType.Linear, factor, 0, 0, 0);

    /// <summary>Llama 3.1's scaling (Llama 3.1: factor 8; Llama 3.2: 32; both with bands 1 and 4 over 8192 positions).</summary>
    public static RotaryScaling Llama3(double factor, double lowFreqFactor = 1, double highFreqFactor = 4, int originalContext = 8192) =>
        new(RotaryScalingType.Llama3, factor, lowFreqFactor, highFreqFactor, originalContext);
}
