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
/// their backward, the norms, residual adds and loss, and full fine-tuning's embedding gradient and AdamW. From them it
/// estimates how much faster than full fine-tuning a frozen base can train: the frozen step skips the weight gradients,
/// the embedding's and the optimizer, and keeps the rest; LoRA adds its rank-8 products. Gradient clipping, biases'
/// gradients and the batch's own bookkeeping are left out of every side.
/// </summary>
internal static class StepPartsBenchmark
{
    public const string Command = "step-parts";
    const int Repeats = 15;

    public static StepPartsResult Run(TextWriter log)
    {
        var load = LoadAverage.Now();
        using var heap = HeapRetention.Begin();   // as the trainer does: freed blocks are reused, not faulted in again per call
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
        var norm = LayerNormMs(rows, dim, trainWeights: false);
        var trainedNorm = LayerNormMs(rows, dim, trainWeights: true);
        var residual = AddMs(rows, dim);
        var loss = CrossEntropyMs(rows, config.Vocab);
        var embedding = EmbeddingGradientMs(rows, config);
        var adamW = AdamWMs(config);
        var lora = LoraMs(rows, dim, 3 * dim) + LoraMs(rows, dim, dim);
        var parts = new OtherParts(attention, promptAttention, gelu, norm, trainedNorm, residual, loss, embedding, adamW, lora);
        log.WriteLine($"  per layer: attention forward + backward {attention:F2} ms ({promptPositions} positions: {promptAttention:F2}), GELU {gelu:F2} ms, "
            + $"layer norm {norm:F2} ms ({trainedNorm:F2} with its weights trained), residual add {residual:F2} ms");
        log.WriteLine($"  per step: loss over the logits {loss:F2} ms, embedding gradient {embedding:F2} ms, AdamW + zeroing over the model {adamW:F2} ms; "
            + $"LoRA's rank-{BenchShapes.LoraRank} products on c_attn and attn.c_proj {lora:F2} ms per layer");

        // Per layer every mode runs the trunk's products forward and for the input gradient, attention, GELU, two norms
        // and two residual adds, each forward and backward; full fine-tuning adds the weight gradients.
        double layers = config.Layers, promptScale = (double)promptPositions / BenchShapes.Sequence;
        double forwardAndInput = trunk.Sum(p => p.ForwardMs + p.InputGradientMs);
        double Layer(double scale, double attentionMs, double normMs) => forwardAndInput * scale + attentionMs + (gelu + 2 * normMs + 4 * residual) * scale;
        double headAndLoss = head.ForwardMs + head.InputGradientMs + loss;
        double frozen = layers * Layer(1, attention, norm) + norm + headAndLoss;
        double loraStep = frozen + layers * lora;
        double full = layers * (Layer(1, attention, trainedNorm) + trunk.Sum(p => p.WeightGradientMs)) + trainedNorm
            + headAndLoss + head.WeightGradientMs + embedding + adamW;
        double prompt = layers * Layer(promptScale, promptAttention, norm) + norm * promptScale + headAndLoss;
        var result = new StepPartsResult(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'"), MachineDescription.Now(), get_num_threads(),
            load, LoadAverage.Now(), trunk.Append(head).ToList(), parts, full, frozen, loraStep, prompt, full / frozen, full / loraStep, full / prompt);
        log.WriteLine($"  counted per step: full fine-tuning {full:F0} ms; frozen base {frozen:F0} ms (x{result.FrozenCeiling:F2} full's speed), "
            + $"with LoRA's products {loraStep:F0} ms (x{result.LoraCeiling:F2}); prompt tuning {prompt:F0} ms (x{result.PromptCeiling:F2})");
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
        return ForwardBackwardMs(() => nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true), upstream, q, k, v);
    }

    static double GeluMs(long rows, long width)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, width).requires_grad_();
        var upstream = randn(rows, width);
        return ForwardBackwardMs(() => nn.functional.gelu(x, approximate: GELU.Approximate.tanh), upstream, x);
    }

    static double LayerNormMs(long rows, long width, bool trainWeights)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, width).requires_grad_();
        var (weight, bias) = (ones(width).requires_grad_(trainWeights), zeros(width).requires_grad_(trainWeights));
        var upstream = randn(rows, width);
        return ForwardBackwardMs(() => nn.functional.layer_norm(x, [width], weight, bias), upstream, x, weight, bias);
    }

    static double AddMs(long rows, long width)
    {
        using var scope = NewDisposeScope();
        var (a, b) = (randn(rows, width), randn(rows, width));
        return MedianMs(() => a.add(b));
    }

    // PyTorch's summed cross-entropy over the whole logits, forward and backward: full fine-tuning's loss (a frozen head's
    // chunked loss does the same softmax work, its products counted with the head's).
    static double CrossEntropyMs(long rows, long vocabulary)
    {
        using var scope = NewDisposeScope();
        var logits = randn(rows, vocabulary).requires_grad_();
        var targets = randint(vocabulary, [rows]);
        return ForwardBackwardMs(() => nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.Sum), ones([]), logits);
    }

    // The token embedding's lookup and its gradient (scattered into the [V, D] table): full fine-tuning only.
    static double EmbeddingGradientMs(long rows, Gpt2Config config)
    {
        using var scope = NewDisposeScope();
        var table = randn(config.Vocab, config.Dim).requires_grad_();
        var ids = randint(config.Vocab, [rows]);
        var upstream = randn(rows, config.Dim);
        return ForwardBackwardMs(() => table.index_select(0, ids), upstream, table);
    }

    // One LoRA layer as the runtime runs it (Peft/Lora/LoraLayer.cs): down = x · Aᵀ, then addmm of down · Bᵀ into the
    // frozen base's output, forward and backward; x needs its gradient, as every layer's input does.
    static double LoraMs(long rows, long inFeatures, long outFeatures)
    {
        using var scope = NewDisposeScope();
        var x = randn(rows, inFeatures).requires_grad_();
        var baseOutput = randn(rows, outFeatures);
        var a = (randn(BenchShapes.LoraRank, inFeatures) * 0.01).requires_grad_();
        var b = (randn(outFeatures, BenchShapes.LoraRank) * 0.01).requires_grad_();
        var upstream = randn(rows, outFeatures);
        return ForwardBackwardMs(() => addmm(baseOutput, x.mm(a.t()), b.t(), beta: 1, alpha: 2), upstream, x, a, b);
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

    // Median wall time of forward and backward from upstream, zeroing the gradients of inputs that take one after each.
    static double ForwardBackwardMs(Func<Tensor> forward, Tensor upstream, params Tensor[] inputs) => MedianMs(() =>
    {
        var output = forward();
        output.backward([upstream]);
        foreach (var input in inputs) input.grad?.zero_();
        return output;
    });

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

/// <summary>The step's parts other than the weight products, median ms on the suite's shapes (per layer where named so).</summary>
internal sealed record OtherParts(double AttentionPerLayerMs, double PromptAttentionPerLayerMs, double GeluPerLayerMs, double LayerNormMs,
    double TrainedLayerNormMs, double ResidualAddMs, double LossMs, double EmbeddingGradientMs, double AdamWMs, double LoraPerLayerMs);

/// <summary>
/// The step's parts (median ms on the suite's shapes) and what they allow: each ceiling is the counted full step over
/// a counted frozen one (the bare frozen base, LoRA with its own products, prompt tuning), an estimate of the best
/// tokens/s ratio to full fine-tuning that skipping the weight gradients and the optimizer can give.
/// </summary>
internal sealed record StepPartsResult(string Date, string Machine, int Threads, string LoadAverageBefore, string LoadAverageAfter,
    IReadOnlyList<ProductTimes> Products, OtherParts Others, double FullStepMs, double FrozenStepMs, double LoraStepMs, double PromptStepMs,
    double FrozenCeiling, double LoraCeiling, double PromptCeiling)
{
    public void Write(string path) => BenchmarkJson.Write(this, path);
}
