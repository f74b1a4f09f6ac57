using System;
using System.Globalization;
using System.IO;
using ModelDsl.Benchmarks;

// Usage:
//   ModelDsl.Benchmarks suite [--threads N] [--steps N] [--warmup N] [--rounds N] [--new-tokens N] [--output DIR]   (all of issues 9 and 20; training: medians of N alternating rounds, 3 by default)
//   ModelDsl.Benchmarks profile MODE [--threads N] [--steps N]      (per-phase times of a training step: full|lora|prompt)
//   ModelDsl.Benchmarks training MODE [--threads N] [--steps N] [--warmup N] [--new-thread]  (tokens/s of one mode through the Trainer, as the suite measures it; on a thread of its own, as from a server, with --new-thread)
//   ModelDsl.Benchmarks changes [--steps N]                        (before/after of each optimisation, CPU time on 1 thread)
//   ModelDsl.Benchmarks decode [--new-tokens N] [--threads N] [--output PATH]
//   ModelDsl.Benchmarks structured [--new-tokens N] [--threads N] [--output PATH]   (constrained vs unconstrained decoding step)
//   ModelDsl.Benchmarks concurrent [--new-tokens N] [--threads N] [--output PATH]   (8 concurrent callers vs sequential calls)
//   ModelDsl.Benchmarks batch-decode [--new-tokens N] [--threads N] [--output PATH] (cached decode at batch 8 vs batch 1)
//   ModelDsl.Benchmarks step-parts [--threads N] [--output PATH]   (the training step's products, attention, GELU and AdamW timed alone; the frozen base's ceiling)
//   ModelDsl.Benchmarks scaling [--threads N] [--steps N] [--warmup N] [--quick] [--output PATH] [--charts DIR]   (full fine-tuning tokens/s vs sequence length and width, both sides; charts to docs/images)
//   ModelDsl.Benchmarks memory-child MODE [--threads N]              (run by the suite itself)
//   ModelDsl.Benchmarks checkpoint-memory [--layers N] [--batch N] [--sequence N] [--threads N] [--output PATH]
//   ModelDsl.Benchmarks quantized-size [--output PATH]                (GPT-2 small block weights in NF4 / int8)
//   ModelDsl.Benchmarks dpo-memory [--threads N] [--output PATH]      (peak memory of DPO with LoRA vs supervised LoRA)
//   ModelDsl.Benchmarks memory-estimate [--batch N] [--sequence N] [--threads N] [--mmap-threshold BYTES|0] [--modes full-fp32,lora-fp32,...] [--output PATH]   (EstimateMemory vs measured peak)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length == 0)
{
    Console.Error.WriteLine("Usage: ModelDsl.Benchmarks suite|profile MODE|training MODE|changes|scaling|decode|batch-decode|step-parts|structured|concurrent|checkpoint-memory|quantized-size|dpo-memory|memory-estimate|memory-child MODE [--threads N] [--steps N] [--warmup N] [--rounds N] [--new-tokens N] [--quick] [--new-thread] [--charts DIR] [--layers N] [--batch N] [--sequence N] [--output PATH]");
    return 2;
}
var command = args[0];
var first = command is "profile" or "training" or MemoryBenchmark.ChildCommand or DpoMemoryBenchmark.ChildCommand ? 2 : command is CheckpointMemoryBenchmark.ChildCommand ? 5 : command is MemoryEstimateBenchmark.ChildCommand ? 4 : 1;
int mmapThreshold = 1 << 20;
string[]? modes = null;
int threads = 2, steps = 5, warmup = 2, newTokens = 256, layers = 12, batch = 8, sequence = 256, rounds = 3;
string? output = null, charts = null;
var quick = false;
var newThread = false;
for (var i = first; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length: threads = Next(); break;
        case "--steps" when i + 1 < args.Length: steps = Next(); break;
        case "--warmup" when i + 1 < args.Length: warmup = Next(); break;
        case "--rounds" when i + 1 < args.Length: rounds = Next(); break;
        case "--new-tokens" when i + 1 < args.Length: newTokens = Next(); break;
        case "--layers" when i + 1 < args.Length: layers = Next(); break;
        case "--batch" when i + 1 < args.Length: batch = Next(); break;
        case "--sequence" when i + 1 < args.Length: sequence = Next(); break;
        case "--output" when i + 1 < args.Length: output = args[++i]; break;
        case "--charts" when i + 1 < args.Length: charts = args[++i]; break;
        case "--quick": quick = true; break;
        case "--new-thread": newThread = true; break;
        case "--mmap-threshold" when i + 1 < args.Length: mmapThreshold = Next(); break;
        case "--modes" when i + 1 < args.Length: modes = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            return 2;
    }
}
TorchSharp.torch.set_num_threads(threads);
switch (command)
{
    case "suite":
        SuiteRunner.Run(new SuiteRunner.Options(threads, steps, warmup, newTokens, output, rounds), Console.Out);
        return 0;
    case "training" when args.Length > 1:
        var mode = TrainingModes.Parse(args[1]);
        Action train = () => TrainingBenchmark.Run(mode, steps, warmup, Console.Out);
        // glibc serves threads other than the process's first from arenas that map every block over 64 MiB on its own.
        if (newThread)
        {
            var thread = new System.Threading.Thread(() => train());
            thread.Start();
            thread.Join();
        }
        else train();
        return 0;
    case "profile" when args.Length > 1:
        StepProfile.Run(TrainingModes.Parse(args[1]), steps, Console.Out);
        return 0;
    case MemoryBenchmark.ChildCommand when args.Length > 1:
        MemoryBenchmark.RunInChild(TrainingModes.Parse(args[1]));
        return 0;
    case CheckpointMemoryBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "checkpoint-memory.json");
        CheckpointMemoryBenchmark.Run(layers, batch, sequence, threads, Console.Out).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case CheckpointMemoryBenchmark.ChildCommand when args.Length > 4:
        CheckpointMemoryBenchmark.RunInChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture),
            int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        return 0;
    case QuantizedSizeBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "quantized-size.json");
        QuantizedSizeBenchmark.Run(Console.Out).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case DpoMemoryBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "dpo-memory.json");
        DpoMemoryBenchmark.Run(threads, Console.Out).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case DpoMemoryBenchmark.ChildCommand when args.Length > 1:
        DpoMemoryBenchmark.RunInChild(args[1]);
        return 0;
    case MemoryEstimateBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "memory-estimate.json");
        MemoryEstimateBenchmark.Run(batch, sequence, threads, Console.Out, mmapThreshold, modes).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case MemoryEstimateBenchmark.ChildCommand when args.Length > 3:
        MemoryEstimateBenchmark.RunInChild(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
        return 0;
    case ScalingBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "scaling.json");
        var scaling = ScalingBenchmark.Run(threads, steps, warmup, quick, Console.Out, soFar => soFar.Write(output));
        // A quick run only checks the plumbing: its charts go beside its JSON, not over the documented ones.
        charts ??= quick ? Path.GetDirectoryName(Path.GetFullPath(output))! : Path.Combine(RepoRoot.Find(), "docs", "images");
        var chartFiles = ScalingCharts.Save(scaling, charts);
        Console.Write(scaling.MarkdownTable());
        Console.WriteLine($"Load average {scaling.LoadAverageBefore} before, {scaling.LoadAverageAfter} after. Wrote {output}, {string.Join(", ", chartFiles)}");
        return 0;
    case "changes":
        ChangeBenchmarks.Run(steps, Console.Out);
        return 0;
    case "decode":
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "decode.json");
        var result = DecodeBenchmark.Run(newTokens, Console.Out);
        result.Write(output);
        Console.WriteLine($"Wrote {output}");
        return result.TokensMatch ? 0 : 1;
    case ConcurrentCallersBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "concurrent.json");
        var concurrentResult = ConcurrentCallersBenchmark.Run(Math.Min(newTokens, 64), Console.Out);
        concurrentResult.Write(output);
        Console.WriteLine($"Wrote {output}");
        return concurrentResult.AnswersIdentical ? 0 : 1;
    case BatchDecodeBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "batch-decode.json");
        BatchDecodeBenchmark.Run(Math.Min(newTokens, 64), Console.Out).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case StepPartsBenchmark.Command:
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "step-parts.json");
        StepPartsBenchmark.Run(Console.Out).Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    case "structured":
        output ??= Path.Combine(RepoRoot.Find(), "artifacts", "bench", "structured.json");
        var structured = StructuredBenchmark.Run(Math.Min(newTokens, 128), Console.Out);
        structured.Write(output);
        Console.WriteLine($"Wrote {output}");
        return 0;
    default:
        Console.Error.WriteLine($"Unknown command '{command}'; use suite, profile, changes, scaling, decode, batch-decode, step-parts, structured, concurrent, checkpoint-memory, quantized-size, dpo-memory, memory-estimate or memory-child.");
        return 2;
}
