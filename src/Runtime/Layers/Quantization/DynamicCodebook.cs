using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace ModelDsl.Layers.Quantization;

/// <summary>
/// bitsandbytes' signed 8-bit dynamic code (<c>create_dynamic_map(signed=True, max_exponent_bits=7,
/// total_bits=8)</c>, Dettmers 2015), the code of its blockwise 8-bit quantization and so of the nested
/// quantization of NF4 scales: for each decade <c>10^(i-6)</c>, i = 0..6, the <c>2^i</c> midpoints of
/// <c>linspace(0.1, 1, 2^i + 1)</c> scaled by the decade, with both signs, plus 0 and 1 — 256 sorted float32 values.
/// </summary>
/// <remarks>
/// The arithmetic is bitsandbytes' in float32: <c>linspace</c>, the midpoints <c>(b[k] + b[k+1]) / 2</c>, the decade
/// rounded to float32 and multiplied in float32. <c>linspace</c> is evaluated with PyTorch's scalar formula
/// (<c>start + k·step</c> in the lower half, <c>end − (n−1−k)·step</c> in the upper half), so the map is the same on
/// every machine. PyTorch's vectorised CPU kernel computes whole vectors from one base and so rounds differently
/// (measured on an x86-64 CPU: 42 of the 256 values differ by one or two float32 ulps), and the vector width depends
/// on the CPU: the map bitsandbytes builds is itself machine-dependent in those last bits. That is harmless: the map
/// is stored beside the codes (<c>nested_quant_map</c>) and dequantization always uses the stored map.
/// </remarks>
public static class DynamicCodebook
{
    const int MaxExponentBits = 7;
    const int NonSignBits = 7;   // total_bits − 1

    static readonly float[] _values = Build();

    /// <summary>The 256 values, sorted ascending (index = 8-bit code).</summary>
    public static IReadOnlyList<float> Values => _values;

    /// <summary>The values as a float32 tensor <c>[256]</c> on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(Device? device = null) => tensor(_values, device: device);

    static float[] Build()
    {
        var data = new List<float>(256);
        for (var i = 0; i < MaxExponentBits; i++)
        {
            var fractionItems = (1 << (i + NonSignBits - MaxExponentBits)) + 1;
            var boundaries = Linspace(0.1f, 1f, fractionItems);
            var decade = (float)Math.Pow(10, -(MaxExponentBits - 1) + i);
            for (var k = 0; k + 1 < fractionItems; k++)
            {
                var mean = (boundaries[k] + boundaries[k + 1]) / 2f;
                data.Add(decade * mean);
                data.Add(-decade * mean);
            }
        }
        data.Add(0f);
        data.Add(1f);
        data.Sort();
        return data.ToArray();
    }

    /// <summary>PyTorch's <c>linspace</c> in float32, scalar formula.</summary>
    static float[] Linspace(float start, float end, int steps)
    {
        var values = new float[steps];
        var step = (end - start) / (steps - 1);
        var halfway = steps / 2;
        for (var k = 0; k < steps; k++)
            values[k] = k < halfway ? start + step * k : end - step * (steps - k - 1);
        return values;
    }
}
