using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>
/// Where a training step's time goes: the phases of <see cref="Trainer"/>'s step (collate, forward, loss, backward,
/// gradient clipping, AdamW, zeroing) timed one by one, median over steps, with and without the attention mask; the
/// step's total also as the process's CPU time (the measure to compare on a busy machine, with one thread).
/// </summary>
internal static class StepProfile
{
    public static void Run(TrainingMode mode, int steps, TextWriter log)
    {
        var config = BenchShapes.Small;
        using var heap = HeapRetention.Begin();   // as the Trainer's Fit does
        manual_seed(1);
        using var setup = mode.Wrap(new Gpt2LMHeadModel(config));
        setup.train();
        var data = SyntheticData.Sequences(BenchShapes.Batch, BenchShapes.Sequence, config.Vocab);
        var seen = new HashSet<IntPtr>();
        var trainable = setup.named_parameters().Where(p => p.parameter.requires_grad && seen.Add(p.parameter.Handle)).ToArray();
        using var optimizer = new ModelDsl.Training.AdamW(trainable.Select(p => (p.name, p.parameter, NoDecay: p.parameter.dim() < 2)));
        Parameter[] parameters = [.. trainable.Select(p => p.parameter)];
        foreach (var withMask in new[] { true, false })
        {
            var phases = new Dictionary<string, List<double>>();
            void Add(string phase, double seconds) => (phases.TryGetValue(phase, out var l) ? l : phases[phase] = []).Add(seconds * 1000);
            for (var step = 0; step < steps + 1; step++)
            {
                using var scope = NewDisposeScope();
                Batch batch = null!;
                Tensor logits = null!, nll = null!;
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var total = Stats.Time(() =>
                {
                    Add("collate", Stats.Time(() => batch = Batch.Collate(Enumerable.Range(0, data.Count).Select(i => data[i]).ToList(), 0)));
                    Add("forward", Stats.Time(() => logits = setup.Forward(batch.InputIds, withMask ? batch.AttentionMask : null)));
                    Add("loss", Stats.Time(() => nll = CausalLmLoss.SumNll(logits, batch.Labels)));
                    Add("backward", Stats.Time(() => (nll / batch.TargetCount).backward()));
                    Add("item", Stats.Time(() => nll.item<float>()));
                    Add("clip", Stats.Time(() => nn.utils.clip_grad_norm_(parameters, 1.0)));
                    Add("adamw", Stats.Time(() => optimizer.Apply(3e-4)));
                    Add("zero_grad", Stats.Time(optimizer.ZeroGrad));
                });
                Add("total", total);
                Add("total CPU", (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                batch.Dispose();
                if (step == 0) foreach (var l in phases.Values) l.Clear();   // warm-up step
            }
            log.WriteLine($"{mode.Key()} step, attention mask {(withMask ? "passed (padded batches only, in the trainer)" : "omitted (causal fast path; the trainer's unpadded batches)")}, median ms over {steps} steps:");
            foreach (var (phase, ms) in phases) log.WriteLine($"  {phase,-10} {Stats.Median(ms),9:F1}");
        }
    }
}
