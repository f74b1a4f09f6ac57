namespace ModelDsl;

/// <summary>How a family's rotary frequencies are rescaled for a longer context (Hugging Face's <c>rope_scaling.rope_type</c>).</summary>
public enum RopeScaling
{
    /// <summary>No scaling (<c>rope_scaling</c> null).</summary>
    None,
    /// <summary><c>linear</c>: every frequency divided by <c>RopeFactor</c> (position interpolation).</summary>
    Linear,
    /// <summary>
    /// <c>llama3</c> (Llama 3.1, 3.2): wavelengths longer than <c>OriginalContext / LowFreqFactor</c> are divided by
    /// <c>RopeFactor</c>, those shorter than <c>OriginalContext / HighFreqFactor</c> are kept, and the band between is
    /// interpolated.
    /// </summary>
    Llama3,
}
