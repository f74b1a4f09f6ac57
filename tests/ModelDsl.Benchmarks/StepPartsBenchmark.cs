using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Models;
using ModelDsl.Training;
using GELU = TorchSharp.Modules.GELU;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// The parts of the suite's training step timed one by one on its shapes (GPT-2 6 × 384, vocabulary 8192, batch 8 ×
/// 256): every weight product in its three kinds (forward, input gradient, weight gradient), attention and GELU with
/// their backward, and full fine-tuning's AdamW. From them it estimates how much faster than full fine-tuning a frozen
/// base can train: the frozen step skips the weight gradients and the optimizer, and keeps the rest. Norms, residual
/// adds, the loss's softmax, gradient clipping and LoRA's own rank-8 products are left out of both sides.
/// </summary>
internal static class StepPartsBenchmark
{
    public const string Command = "step-parts";
    const int Repeats = 15;

    public static StepPartsResult Run(TextWriter log)
    {
        var load = LoadAverage.Now();
        var config = BenchShapes.Small;
        long rows = BenchShapes.Batch * BenchShapes.Sequence;
        long promptPositions = BenchShapes.Sequence + BenchShapes.PromptTokens;
        long dim = config.Dim;
        var trunk = new[] { ("c_attn", dim, 3 * dim), ("attn.c_proj", dim, dim), ("mlp.c_fc", dim, 4 * dim), ("mlp.c_proj", 4 * dim, dim) }
            .Select(s => Product(s.Item1, rows, s.Item2, s.Item3, weightIsOutMajor: false)).ToList();
        var head = Product("lm_head", rows, dim, config.Vocab, weightIsOutMajor: true);
        foreach (var p in trunk.Append(head))
            log.WriteLine($"  {p.Name,-12} {p.In} → {p.Out}: forward {p.ForwardMs:F2} ms, input gradient {p.InputGradientMs:F2} ms, weight gradient {p.WeightGradientMs:F2} ms "
                + $"({p.Gflops(p.ForwardMs):F0} / {p.Gflops(p.InputGradientMs):F0} / {p.Gflops(p.WeightGradientMs):F0} GFLOP/s)");
        var attention = AttentionMs(BenchShapes.Sequence, config);
        var promptAttention = AttentionMs(promptPositions, config);
        var gelu = GeluMs(rows, 4 * dim);
        var adamW = AdamWMs(config);
        log.WriteLine($"  per layer: attention forward + backward {attention:F2} ms ({promptPositions} positions: {promptAttention:F2}), GELU {gelu:F2} ms; AdamW + zeroing over the model {adamW:F2} ms");

        double layers = config.Layers, promptScale = (double)promptPositions / BenchShapes.Sequence;
        double forwardAndInput = trunk.Sum(p => p.ForwardMs + p.InputGradientMs);
        double weightGradients = layers * trunk.Sum(p => p.WeightGradientMs) + head.WeightGradientMs;
        double shared = layers * (attention + gelu);
        double frozen = layers * forwardAndInput + head.ForwardMs + head.InputGradientMs + shared;
        double full = frozen + weightGradients + adamW;
        double prompt = layers * (forwardAndInput * promptScale + promptAttention + gelu * promptScale) + head.ForwardMs + head.InputGradientMs;
        var result = new StepPartsResult(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"), MachineDescription.Now(), get_num_threads(),
            load, LoadAverage.Now(), trunk.Append(head).ToList(), attention, promptAttention, gelu, adamW, full, frozen, prompt, full / frozen, full / prompt);
        log.WriteLine($"  counted per step: full fine-tuning {full:F0} ms, frozen base {frozen:F0} ms (LoRA at most x{result.LoraCeiling:F2} full's speed), "
            + $"prompt tuning {prompt:F0} ms (at most x{result.PromptCeiling:F2})");
        return result;
    }

    // x · W for a Conv1D weight [in, out], or x · Wᵀ for a Linear weight [out, in], with both gradients, as autograd runs them.
    static ProductTimes Product(string name, long rows, long inFeatures, long outFeatures, bool weightIsOutMajor)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, inFeatures);
        var upstream = randn(rows, outFeatures);
        var weight = weightIsOutMajor ? randn(outFeatures, inFeatures) : randn(inFeatures, outFeatures);
        Func<Tensor> forward = weightIsOutMajor ? () => nn.functional.linear(x, weight) : () => x.mm(weight);
        Func<Tensor> inputGradient = weightIsOutMajor ? () => upstream.mm(weight) : () => upstream.mm(weight.t());
        Func<Tensor> weightGradient = weightIsOutMajor ? () => upstream.t().mm(x) : () => x.t().mm(upstream);
        return new ProductTimes(name, rows, inFeatures, outFeatures, MedianMs(forward), MedianMs(inputGradient), MedianMs(weightGradient));
    }

    static double AttentionMs(long positions, Gpt2Config config)
    {
        using var scope = NewDisposeScope();
        long headSize = config.Dim / config.Heads;
        Tensor Input() => randn(BenchShapes.Batch, config.Heads, positions, headSize).requires_grad_();
        var (q, k, v) = (Input(), Input(), Input());
        var upstream = randn(BenchShapes.Batch, config.Heads, positions, headSize);
        return MedianMs(() =>
        {
            var output = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
            output.backward([upstream]);
            foreach (var input in new[] { q, k, v }) input.grad!.zero_();
            return output;
        });
    }

    static double GeluMs(long rows, long width)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, width).requires_grad_();
        var upstream = randn(rows, width);
        return MedianMs(() =>
        {
            var output = nn.functional.gelu(x, approximate: GELU.Approximate.tanh);
            output.backward([upstream]);
            x.grad!.zero_();
            return output;
        });
    }

    // The trainer's optimizer over the suite's model with every parameter trained and a gradient present.
    static double AdamWMs(Gpt2Config config)
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt2LMHeadModel(config);
        var parameters = model.named_parameters().ToList();
        model.forward(randint(config.Vocab, [1, 16])).sum().backward();   // a gradient for every parameter
        using var optimizer = new AdamW(parameters.Select(p => (p.name, p.parameter, p.parameter.dim() < 2)));
        return MedianMs(() =>
        {
            optimizer.Apply(1e-4);
            optimizer.ZeroGrad();
            return empty(0);
        });
    }

    // Median wall time of Repeats calls after two warm-up calls; each call's tensors are freed before the next.
    static double MedianMs(Func<Tensor> run)
    {
        void Once()
        {
            using var scope = NewDisposeScope();
            run();
        }
        Once();
        Once();
        return Stats.Median(Enumerable.Range(0, Repeats).Select(_ => Stats.Time(Once) * 1e3));
    }
}

/// <summary>One weight product of the step at its shape: median ms of the forward and of each gradient's product.</summary>
internal sealed record ProductTimes(string Name, long Rows, long In, long Out, double ForwardMs, double InputGradientMs, double WeightGradientMs)
{
    /// <summary>GFLOP/s of one of this shape's products taking <paramref name="ms"/>.</summary>
    public double Gflops(double ms) => 2.0 * Rows * In * Out / (ms / 1e3) / 1e9;
}

/// <summary>
/// The step's parts (median ms on the suite's shapes) and what they allow: <see cref="LoraCeiling"/> and
/// <see cref="PromptCeiling"/> are the counted full step over the counted frozen one, an estimate of the best
/// tokens/s ratio to full fine-tuning that skipping the weight gradients and the optimizer can give.
/// </summary>
internal sealed record StepPartsResult(string Date, string Machine, int Threads, string LoadAverageBefore, string LoadAverageAfter,
    IReadOnlyList<ProductTimes> Products, double AttentionPerLayerMs, double PromptAttentionPerLayerMs, double GeluPerLayerMs, double AdamWMs,
    double FullStepMs, double FrozenStepMs, double PromptStepMs, double LoraCeiling, double PromptCeiling)
{
    public void Write(string path) => BenchmarkJson.Write(this, path);
}
