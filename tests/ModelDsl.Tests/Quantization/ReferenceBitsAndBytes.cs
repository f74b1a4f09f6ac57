using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Tests.Quantization;

/// <summary>
/// An independent re-implementation of bitsandbytes' weight quantization in plain loops over float arrays, written
/// from bitsandbytes' <c>functional.py</c> (<c>get_4bit_type</c>, <c>create_dynamic_map</c>, <c>quantize_4bit</c>,
/// <c>quantize_blockwise</c>, <c>dequantize_4bit</c>), <c>backends/default/ops.py</c> and <c>int8_vectorwise_quant</c>.
/// All arithmetic is float32, as in bitsandbytes.
/// </summary>
internal static class ReferenceBitsAndBytes
{
    /// <summary>The published NF4 code (bitsandbytes <c>get_4bit_type("nf4")</c>; QLoRA, appendix E).</summary>
    public static readonly float[] Nf4 =
    [
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f,
        -0.28444138169288635f, -0.18477343022823334f, -0.09105003625154495f, 0.0f,
        0.07958029955625534f, 0.16093020141124725f, 0.24611230194568634f, 0.33791524171829224f,
        0.44070982933044434f, 0.5626170039176941f, 0.7229568362236023f, 1.0f,
    ];

    /// <summary>
    /// <c>create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)</c>, line by line
    /// (<c>torch.linspace</c> by its scalar formula).
    /// </summary>
    public static float[] DynamicMap()
    {
        var data = new List<float>();
        for (var i = 0; i < 7; i++)
        {
            var items = (int)Math.Pow(2, i) + 1;                // 2 ** (i + non_sign_bits - max_exponent_bits) + 1
            var boundaries = new float[items];
            var step = (1.0f - 0.1f) / (items - 1);
            for (var k = 0; k < items; k++)
                boundaries[k] = k < items / 2 ? 0.1f + step * k : 1.0f - step * (items - k - 1);
            var power = (float)Math.Pow(10, -6 + i);             // 10 ** (-(max_exponent_bits - 1) + i), as a float32 scalar
            for (var k = 0; k < items - 1; k++)
            {
                var mean = (boundaries[k] + boundaries[k + 1]) / 2.0f;
                data.Add(power * mean);
                data.Add(-power * mean);
            }
        }
        data.Add(0);
        data.Add(1.0f);
        data.Sort();
        return [.. data];
    }

    /// <summary>The index of the nearest code: the number of float32 midpoints strictly below <paramref name="s"/>.</summary>
    public static int NearestCode(float s, float[] code)
    {
        var index = 0;
        for (var k = 0; k + 1 < code.Length; k++)
            if (s > (code[k] + code[k + 1]) / 2f) index = k + 1;
        return index;
    }

    /// <summary>Blockwise absmax quantization: one code per value (no padding) and one absmax per block.</summary>
    public static (int[] Codes, float[] Absmax) QuantizeBlockwise(float[] values, float[] code, int blockSize)
    {
        var blocks = (values.Length + blockSize - 1) / blockSize;
        var codes = new int[values.Length];
        var absmax = new float[blocks];
        for (var b = 0; b < blocks; b++)
        {
            int start = b * blockSize, end = Math.Min(start + blockSize, values.Length);
            var max = 0f;
            for (var i = start; i < end; i++) max = Math.Max(max, Math.Abs(values[i]));
            absmax[b] = max;
            var reciprocal = 1f / Math.Max(max, 1e-38f);          // absmax.clamp(min=1e-38), then 1.0 / absmax
            for (var i = start; i < end; i++)
                codes[i] = NearestCode(Math.Clamp(values[i] * reciprocal, -1f, 1f), code);
        }
        return (codes, absmax);
    }

    /// <summary><c>code[q] · absmax</c> per value.</summary>
    public static float[] DequantizeBlockwise(int[] codes, float[] absmax, float[] code, int blockSize) =>
        codes.Select((q, i) => code[q] * absmax[i / blockSize]).ToArray();

    /// <summary>NF4 with packing: first value in the high nibble, an odd count padded with the code of 0.</summary>
    public static Nf4Result QuantizeNf4(float[] values, int blockSize, bool doubleQuantize)
    {
        var (codes, absmax) = QuantizeBlockwise(values, Nf4, blockSize);
        var packed = new byte[(values.Length + 1) / 2];
        for (var i = 0; i < packed.Length; i++)
        {
            var high = codes[2 * i];
            var low = 2 * i + 1 < codes.Length ? codes[2 * i + 1] : Array.IndexOf(Nf4, 0f);
            packed[i] = (byte)((high << 4) | low);
        }
        if (!doubleQuantize) return new Nf4Result(packed, absmax, null, null, 0, absmax);

        // compress_statistics: offset = absmax.mean(); quantize_blockwise(absmax - offset, blocksize=256)
        var offset = (float)(absmax.Select(a => (double)a).Sum() / absmax.Length);
        var centred = absmax.Select(a => a - offset).ToArray();
        var map = DynamicMap();
        var (nestedCodes, nestedAbsmax) = QuantizeBlockwise(centred, map, 256);
        var decoded = DequantizeBlockwise(nestedCodes, nestedAbsmax, map, 256).Select(a => a + offset).ToArray();
        return new Nf4Result(packed, absmax, nestedCodes.Select(c => (byte)c).ToArray(), nestedAbsmax, offset, decoded);
    }

    /// <summary>Unpacks and scales: <c>Nf4[nibble] · scale</c> for each of the <paramref name="count"/> values.</summary>
    public static float[] DequantizeNf4(byte[] packed, float[] scales, int blockSize, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            var nibble = i % 2 == 0 ? packed[i / 2] >> 4 : packed[i / 2] & 0x0F;
            values[i] = Nf4[nibble] * scales[i / blockSize];
        }
        return values;
    }

    /// <summary>bitsandbytes' int8 weight quantization of a row-major <c>[rows, cols]</c> weight.</summary>
    public static (sbyte[] CB, float[] SCB) QuantizeInt8(float[] weight, int rows, int cols)
    {
        var cb = new sbyte[weight.Length];
        var scb = new float[rows];
        for (var r = 0; r < rows; r++)
        {
            var half = new float[cols];
            for (var c = 0; c < cols; c++) half[c] = (float)(Half)weight[r * cols + c];    // B = weight.to(float16)
            var max = half.Max(Math.Abs);
            scb[r] = max;
            var scale = (1f / (max == 0 ? 1f : max)) * 127f;                              // 127.0 / row_stats
            for (var c = 0; c < cols; c++)
                cb[r * cols + c] = (sbyte)MathF.Round(half[c] * scale, MidpointRounding.ToEven);
        }
        return (cb, scb);
    }

    /// <summary><c>CB · SCB · 7.874015718698502e-3</c> in float32.</summary>
    public static float[] DequantizeInt8(sbyte[] cb, float[] scb, int cols) =>
        cb.Select((q, i) => q * scb[i / cols] * 7.874015718698502e-3f).ToArray();

    /// <summary>float32 → bfloat16 (round to nearest even), returned as the float32 it represents.</summary>
    public static float ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToInt32Bits(value);
        bits += 0x7FFF + ((bits >> 16) & 1);
        return BitConverter.Int32BitsToSingle(bits & unchecked((int)0xFFFF0000));
    }
}

/// <summary>What <see cref="ReferenceBitsAndBytes.QuantizeNf4"/> stores; <c>Scales</c> are the absmax values dequantization uses.</summary>
internal sealed record Nf4Result(byte[] Packed, float[] Absmax, byte[]? NestedCodes, float[]? NestedAbsmax, float Offset, float[] Scales);
