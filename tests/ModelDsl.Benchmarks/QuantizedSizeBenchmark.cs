using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>Bytes of the quantized linear weights of one scheme, against float32.</summary>
internal sealed record QuantizedSize(string Scheme, long Bytes, double FractionOfFloat32, double QuantizeSeconds, double DequantizeAllSeconds);

/// <summary>The sizes of GPT-2 small's block weights under each scheme, written as JSON.</summary>
internal sealed record QuantizedSizeResult(string Description, long Float32Bytes, QuantizedSize[] Schemes)
{
    public void Write(string path) => BenchmarkJson.Write(this, path);
}

/// <summary>
/// Quantizes the four linear weights of each of GPT-2 small's 12 blocks (c_attn, attn.c_proj, c_fc, mlp.c_proj;
/// 84.9M values, the frozen base a QLoRA setup quantizes) with each scheme, and reports their bytes against float32,
/// the time to quantize them and the time to dequantize all of them once (what one forward pass adds).
/// </summary>
internal static class QuantizedSizeBenchmark
{
    public const string Command = "quantized-size";

    public static QuantizedSizeResult Run(TextWriter log)
    {
        manual_seed(1);
        using var model = new Gpt2Model(BenchShapes.Gpt2Small);
        var weights = model.h.SelectMany(b => new LinearBase[] { b.attn.c_attn, b.attn.c_proj, b.mlp.c_fc, b.mlp.c_proj })
            .Select(layer => layer.weight.detach().t().contiguous())                       // Conv1D [in, out] → [out, in]
            .ToArray();
        var float32Bytes = weights.Sum(w => w.numel() * 4);
        var description = $"GPT-2 small block weights ({weights.Sum(w => w.numel()) / 1e6:F1}M values in {weights.Length} matrices)";
        log.WriteLine($"Quantized size: {description}, float32 {float32Bytes / 1048576.0:F0} MiB");
        var schemes = new (string Name, System.Func<Tensor, QuantizedWeight> Quantize)[]
        {
            ("nf4 (blocks of 64)", w => Nf4Weight.Quantize(w)),
            ("nf4 + double quantization", w => Nf4Weight.Quantize(w, doubleQuantize: true)),
            ("int8 (row-wise)", w => Int8Weight.Quantize(w)),
        };
        var results = schemes.Select(scheme =>
        {
            var clock = Stopwatch.StartNew();
            var quantized = weights.Select(scheme.Quantize).ToArray();
            var quantizeSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            foreach (var q in quantized) q.Dequantize(ScalarType.Float32).Dispose();
            var dequantizeSeconds = clock.Elapsed.TotalSeconds;
            var bytes = quantized.Sum(q => q.ByteSize);
            foreach (var q in quantized) q.Dispose();
            var size = new QuantizedSize(scheme.Name, bytes, (double)bytes / float32Bytes, quantizeSeconds, dequantizeSeconds);
            log.WriteLine($"  {scheme.Name,-28} {bytes / 1048576.0,6:F1} MiB = {size.FractionOfFloat32:F4} × float32, " +
                          $"quantize {quantizeSeconds:F1} s, dequantize all {dequantizeSeconds:F2} s");
            return size;
        }).ToArray();
        foreach (var w in weights) w.Dispose();
        return new QuantizedSizeResult(description, float32Bytes, results);
    }
}
