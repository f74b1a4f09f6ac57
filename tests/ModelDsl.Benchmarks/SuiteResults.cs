using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Benchmarks;

/// <summary>Everything one run of the suite measured, and the targets judged from it.</summary>
internal sealed record SuiteResults(
    string Date, string Machine, string LoadBefore, string LoadAfter, int Threads,
    double MatmulGflops, PeerMeasurement Peer,
    IReadOnlyList<TrainingMeasurement> Training,
    IReadOnlyList<MemoryMeasurement> Memory,
    InferenceMeasurement Inference, DecodeResult Decode, GeneratorMeasurement Generator)
{
    public TrainingMeasurement TrainingOf(TrainingMode mode) => Training.Single(t => t.Mode == mode.Key());

    public double SpeedupOverPeer(TrainingMode mode) => TrainingOf(mode).TokensPerSecond / Peer.TokensPerSecond(mode);

    public double FractionOfPeak(TrainingMode mode) => TrainingOf(mode).ModelFlopsPerSecond / 1e9 / MatmulGflops;

    public double LoraMemoryOverFull =>
        (double)Memory.Single(m => m.Mode == "lora").PeakBytes / Memory.Single(m => m.Mode == "full").PeakBytes;

    public double CachedOverPeer => Decode.CachedTokensPerSecond / Peer.CachedDecodeTokensPerSecond;

    /// <summary>Each target: what it asks, the measured value, whether it is met.</summary>
    public IReadOnlyList<Target> Targets =>
    [
        new("LoRA training vs PyTorch", "≥ 1.50×", $"{SpeedupOverPeer(TrainingMode.Lora):F2}×", SpeedupOverPeer(TrainingMode.Lora) >= 1.5),
        new("Full fine-tuning vs PyTorch", "≥ 1.20×", $"{SpeedupOverPeer(TrainingMode.Full):F2}×", SpeedupOverPeer(TrainingMode.Full) >= 1.2),
        new("Prompt tuning vs PyTorch", "≥ 1.20×", $"{SpeedupOverPeer(TrainingMode.Prompt):F2}×", SpeedupOverPeer(TrainingMode.Prompt) >= 1.2),
        .. TrainingModes.All.Select(m => new Target($"{m.Key()} training, model FLOP/s / matmul peak", "≥ 50%",
            $"{FractionOfPeak(m):P0}", FractionOfPeak(m) >= 0.5)),
        new("LoRA peak memory / full fine-tuning (GPT-2 small)", "≤ 0.50×", $"{LoraMemoryOverFull:F2}×", LoraMemoryOverFull <= 0.5),
        new("Merged LoRA forward / bare base", "≤ 1.02×", $"{Inference.MergedOverBare:F3}×", Inference.MergedOverBare <= 1.02),
        new("Cached decode / uncached", "≥ 5×", $"{Decode.Speedup:F2}×", Decode.Speedup >= 5),
        new("Cached decode / PyTorch with cache", "≥ 1.50×", $"{CachedOverPeer:F2}×", CachedOverPeer >= 1.5),
        new("Generator, 100 declarations, fresh driver", "< 100 ms", $"{Generator.FreshDriverMs:F1} ms", Generator.FreshDriverMs < 100),
        new("Generator, cached after an unrelated edit", "100%", $"{Generator.CachedShare:P0}", Generator.CachedOutputs == Generator.TrackedOutputs),
    ];
}

/// <summary>One target of issue 9.</summary>
internal sealed record Target(string Name, string Goal, string Measured, bool Met);
