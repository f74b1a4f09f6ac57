using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Before/after pairs for each optimisation of the training step, on the benchmark's shapes (batch 8 × 256, width 384,
/// vocab 8192), timed as the process's CPU time on one thread: on a shared, busy machine wall time measures the
/// neighbours, while one thread's CPU time measures the work.
/// </summary>
internal static class ChangeBenchmarks
{
    const long B = BenchShapes.Batch, T = BenchShapes.Sequence, D = 384, V = 8192, H = 6;

    public static void Run(int repeats, TextWriter log)
    {
        set_num_threads(1);
        log.WriteLine($"CPU ms per call on 1 thread (median of {repeats}), before → after:");
        Compare(log, repeats, "Conv1D c_fc forward+backward: matmul, add → addmm", ConvOld, ConvNew);
        Compare(log, repeats, "causal LM loss forward+backward: slice logits → shift labels", LossOld, LossNew);
        Compare(log, repeats, "attention forward+backward: bool mask → is_causal", AttentionMasked, AttentionCausal);
        Compare(log, repeats, "LoRA branch c_attn: mul, add → add(alpha)", LoraOld, LoraNew);
        Compare(log, repeats, "AdamW over the full model's 14M parameters: mul_+add_ → lerp_", AdamOld, AdamNew);
    }

    static void Compare(TextWriter log, int repeats, string name, Action before, Action after)
    {
        before();
        after();
        var b = new List<double>();
        var a = new List<double>();
        for (var i = 0; i < repeats; i++)
        {
            b.Add(CpuMs(before));
            a.Add(CpuMs(after));
        }
        double mb = Stats.Median(b), ma = Stats.Median(a);
        log.WriteLine($"  {name,-70} {mb,8:F1} → {ma,8:F1}  ({(mb - ma) / mb:P0} less)");
    }

    static double CpuMs(Action action)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var start = process.TotalProcessorTime;
        action();
        process.Refresh();
        return (process.TotalProcessorTime - start).TotalMilliseconds;
    }

    static readonly Lazy<(Tensor X, Tensor W, Tensor Bias)> Conv = new(() =>
        (randn(B, T, D).DetachFromDisposeScope(), randn(D, 4 * D).requires_grad_().DetachFromDisposeScope(),
         zeros(4 * D).requires_grad_().DetachFromDisposeScope()));

    static void ConvOld()
    {
        using var scope = NewDisposeScope();
        var (x, w, bias) = Conv.Value;
        x.matmul(w).add(bias).sum().backward();
        w.grad!.zero_();
    }

    static void ConvNew()
    {
        using var scope = NewDisposeScope();
        var (x, w, bias) = Conv.Value;
        addmm(bias, x.reshape(-1, D), w, beta: 1, alpha: 1).view(B, T, 4 * D).sum().backward();
        w.grad!.zero_();
    }

    static readonly Lazy<(Tensor Logits, Tensor Labels)> Loss = new(() =>
        (randn(B, T, V).requires_grad_().DetachFromDisposeScope(), randint(V, [B, T]).DetachFromDisposeScope()));

    static void LossOld()
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Loss.Value;
        var predicted = logits[.., ..^1, ..].reshape(-1, V);
        var target = labels[.., 1..].reshape(-1);
        nn.functional.cross_entropy(predicted, target, ignore_index: TokenizedSequence.Ignore, reduction: nn.Reduction.Sum).backward();
        logits.grad!.zero_();
    }

    static void LossNew()
    {
        using var scope = NewDisposeScope();
        var (logits, labels) = Loss.Value;
        ModelDsl.Training.CausalLmLoss.SumNll(logits, labels).backward();
        logits.grad!.zero_();
    }

    static readonly Lazy<(Tensor Q, Tensor K, Tensor Vv, Tensor Mask)> Attention = new(() =>
        (randn(B, H, T, D / H).requires_grad_().DetachFromDisposeScope(), randn(B, H, T, D / H).requires_grad_().DetachFromDisposeScope(),
         randn(B, H, T, D / H).requires_grad_().DetachFromDisposeScope(),
         ones(B, 1, T, T, dtype: ScalarType.Bool).tril().DetachFromDisposeScope()));

    static void AttentionMasked()
    {
        using var scope = NewDisposeScope();
        var (q, k, v, mask) = Attention.Value;
        nn.functional.scaled_dot_product_attention(q, k, v, mask).sum().backward();
    }

    static void AttentionCausal()
    {
        using var scope = NewDisposeScope();
        var (q, k, v, _) = Attention.Value;
        nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true).sum().backward();
    }

    static readonly Lazy<(Tensor X, Tensor Base, Tensor A, Tensor Bw)> Lora = new(() =>
        (randn(B, T, D).DetachFromDisposeScope(), randn(B, T, 3 * D).DetachFromDisposeScope(),
         randn(8, D).requires_grad_().DetachFromDisposeScope(), randn(3 * D, 8).requires_grad_().DetachFromDisposeScope()));

    static void LoraOld()
    {
        using var scope = NewDisposeScope();
        var (x, result, a, b) = Lora.Value;
        var update = nn.functional.linear(nn.functional.linear(x, a), b).mul(2.0);
        result.add(update).sum().backward();
    }

    static void LoraNew()
    {
        using var scope = NewDisposeScope();
        var (x, result, a, b) = Lora.Value;
        var update = nn.functional.linear(nn.functional.linear(x, a), b);
        result.add(update, alpha: 2.0).sum().backward();
    }

    static readonly Lazy<Tensor[][]> Adam = new(() =>
    {
        var config = BenchShapes.Small;
        long[][] shapes = [[config.Vocab, D], [config.Context, D],
            .. Enumerable.Range(0, config.Layers).SelectMany(_ => new long[][] { [D, 3 * D], [D, D], [D, 4 * D], [4 * D, D] })];
        // Per parameter: value, gradient, first and second moment.
        return shapes.Select(s => new[] { randn(s), randn(s), zeros(s), zeros(s) }.Select(t => t.DetachFromDisposeScope()).ToArray()).ToArray();
    });

    static void AdamOld()
    {
        using var scope = NewDisposeScope();
        foreach (var (p, g, m, v) in Adam.Value.Select(x => (x[0], x[1], x[2], x[3])))
        {
            p.mul_(1 - 3e-4 * 0.01);
            m.mul_(0.9).add_(g, alpha: 0.1);
            v.mul_(0.999).addcmul_(g, g, value: 0.001);
            var denom = v.sqrt().div_(0.5).add_(1e-8);
            p.addcdiv_(m, denom, value: -3e-4);
        }
    }

    static void AdamNew()
    {
        using var scope = NewDisposeScope();
        foreach (var (p, g, m, v) in Adam.Value.Select(x => (x[0], x[1], x[2], x[3])))
        {
            p.mul_(1 - 3e-4 * 0.01);
            m.lerp_(g, 0.1);
            v.mul_(0.999).addcmul_(g, g, value: 0.001);
            using var denom = v.sqrt().div_(0.5).add_(1e-8);
            p.addcdiv_(m, denom, value: -3e-4);
        }
    }
}
