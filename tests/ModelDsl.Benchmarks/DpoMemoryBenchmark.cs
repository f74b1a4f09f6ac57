using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Training;
using ModelDsl.Training.Alignment;
using static TorchSharp.torch;

namespace ModelDsl.Benchmarks;

/// <summary>One child's measurement: resident memory before training and at its peak.</summary>
internal sealed record PreferenceRunMemory(string Mode, long ResidentBeforeBytes, long ProcessPeakBytes, double Seconds)
{
    /// <summary>What training added on top of the built model.</summary>
    public long TrainingPeakIncreaseBytes => ProcessPeakBytes - ResidentBeforeBytes;
}

/// <summary>Supervised LoRA vs DPO with LoRA on the same sequences, and the ratio of their peaks, written as JSON.</summary>
internal sealed record DpoMemoryResult(string Description, int Threads, string LoadAverageBefore, string LoadAverageAfter,
    PreferenceRunMemory Supervised, PreferenceRunMemory Dpo)
{
    /// <summary>DPO's process peak over supervised training's (the target is ≤ 1.3: no second base in memory).</summary>
    public double ProcessPeakRatio => (double)Dpo.ProcessPeakBytes / Supervised.ProcessPeakBytes;

    /// <summary>The same for what training adds above the built model.</summary>
    public double TrainingPeakIncreaseRatio => (double)Dpo.TrainingPeakIncreaseBytes / Supervised.TrainingPeakIncreaseBytes;

    public void Write(string path) => BenchmarkJson.Write(this, path);
}

/// <summary>
/// Peak resident memory of DPO on a LoRA setup of GPT-2 small's shape against supervised LoRA training on the same batch:
/// the supervised run trains on the 2·P sequences (prompt + chosen, prompt + rejected) of P pairs in one batch, DPO on the
/// P pairs (one forward of the same 2·P sequences, plus the reference forward with adapters disabled, without gradients).
/// Each mode runs two optimizer steps through the <see cref="Trainer"/> in its own child process.
/// </summary>
internal static class DpoMemoryBenchmark
{
    public const string Command = "dpo-memory";
    public const string ChildCommand = "dpo-memory-child";
    const int Pairs = 4, PromptTokens = 64, AnswerTokens = 64;

    public static DpoMemoryResult Run(int threads, TextWriter log)
    {
        var description = $"GPT-2 small shape (124M, random weights), LoRA r={BenchShapes.LoraRank} on c_attn and c_proj; {Pairs} pairs = "
            + $"{2 * Pairs} sequences of {PromptTokens} prompt + {AnswerTokens} answer tokens; 2 optimizer steps";
        log.WriteLine($"DPO memory: {description}, {threads} threads");
        var loadBefore = LoadAverage.Now();
        var supervised = RunChild("sft", threads, log);
        var dpo = RunChild("dpo", threads, log);
        var result = new DpoMemoryResult(description, threads, loadBefore, LoadAverage.Now(), supervised, dpo);
        log.WriteLine($"  process peak ratio (DPO / supervised): {result.ProcessPeakRatio:F3}; training increase ratio {result.TrainingPeakIncreaseRatio:F3}");
        return result;
    }

    static PreferenceRunMemory RunChild(string mode, int threads, TextWriter log)
    {
        var result = BenchmarkChild.Run<PreferenceRunMemory>([ChildCommand, mode, "--threads", threads]);
        log.WriteLine($"  {mode,-4} resident before {result.ResidentBeforeBytes / 1048576.0,6:F0} MiB, process peak {result.ProcessPeakBytes / 1048576.0,6:F0} MiB, "
            + $"training +{result.TrainingPeakIncreaseBytes / 1048576.0,6:F0} MiB, {result.Seconds:F1} s");
        return result;
    }

    /// <summary>In the child: builds the setup, trains two steps in <paramref name="mode"/> (sft or dpo), prints <c>result JSON</c>.</summary>
    public static void RunInChild(string mode)
    {
        manual_seed(1);
        using var setup = new BenchLoraSetup(new Gpt2LMHeadModel(BenchShapes.Gpt2Small));
        var random = new Random(2);
        int[] Tokens(int n) => Enumerable.Range(0, n).Select(_ => random.Next(BenchShapes.Gpt2Small.Vocab)).ToArray();
        var pairs = Enumerable.Range(0, Pairs)
            .Select(_ => (Prompt: Tokens(PromptTokens), Chosen: Tokens(AnswerTokens), Rejected: Tokens(AnswerTokens)))
            .Select(p => new PreferencePair(Sequence(p.Prompt, p.Chosen), Sequence(p.Prompt, p.Rejected))).ToList();
        var preferences = new TokenizedPreferences(pairs);
        var options = new TrainerOptions { MaxSteps = 2, BatchSize = mode == "dpo" ? Pairs : 2 * Pairs, Shuffle = false, LogEvery = 1 };
        TrainingObjective objective = mode switch
        {
            "sft" => new NextTokenObjective(setup, new TokenizedDataset(pairs.SelectMany(p => new[] { p.Chosen, p.Rejected }))),
            "dpo" => new DpoObjective(setup, preferences),
            _ => throw new ArgumentException($"Unknown mode '{mode}'; use sft or dpo."),
        };
        using var trainer = new Trainer(setup, options, TextWriter.Null);
        var before = ResidentMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        trainer.Fit(objective);
        BenchmarkChild.Report(new PreferenceRunMemory(mode, before, ResidentMemory.Peak, clock.Elapsed.TotalSeconds));
    }

    static TokenizedSequence Sequence(int[] prompt, int[] answer) =>
        new([.. prompt, .. answer], [.. Enumerable.Repeat(TokenizedSequence.Ignore, prompt.Length), .. answer]);
}
