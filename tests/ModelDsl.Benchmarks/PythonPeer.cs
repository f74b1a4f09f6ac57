using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace ModelDsl.Benchmarks;

/// <summary>What <c>peer/train_step.py</c> measured with PyTorch eager.</summary>
internal sealed record PeerMeasurement(string TorchVersion, int Threads, double MatmulGflops, double FullTokensPerSecond,
    double LoraTokensPerSecond, double PromptTokensPerSecond, long LoraTrainableParameters, double ForwardLatencyMs,
    double CachedDecodeTokensPerSecond)
{
    public double TokensPerSecond(TrainingMode mode) => mode switch
    {
        TrainingMode.Full => FullTokensPerSecond,
        TrainingMode.Lora => LoraTokensPerSecond,
        _ => PromptTokensPerSecond,
    };

    /// <summary>Each measure's median over <paramref name="rounds"/> (the matmul rate: the best).</summary>
    public static PeerMeasurement Median(IReadOnlyList<PeerMeasurement> rounds)
    {
        double M(Func<PeerMeasurement, double> measure) => Stats.Median(rounds.Select(measure));
        return rounds[0] with
        {
            MatmulGflops = rounds.Max(r => r.MatmulGflops),
            FullTokensPerSecond = M(r => r.FullTokensPerSecond),
            LoraTokensPerSecond = M(r => r.LoraTokensPerSecond),
            PromptTokensPerSecond = M(r => r.PromptTokensPerSecond),
            ForwardLatencyMs = M(r => r.ForwardLatencyMs),
            CachedDecodeTokensPerSecond = M(r => r.CachedDecodeTokensPerSecond),
        };
    }
}

/// <summary>Runs <c>peer/train_step.py</c>, the suite's PyTorch peer, and reads what it measured.</summary>
internal static class PythonPeer
{
    public static PeerMeasurement Run(string repoRoot, int threads, int steps, int warmup, int newTokens, TextWriter log)
    {
        using var json = PeerScript.Run(repoRoot, "train_step.py", threads, [("steps", steps), ("warmup", warmup), ("new-tokens", newTokens)]);
        var root = json.RootElement;
        var training = root.GetProperty("training");
        double Tps(string mode) => training.GetProperty(mode).GetProperty("tokensPerSecond").GetDouble();
        var peer = new PeerMeasurement(root.GetProperty("torchVersion").GetString()!, root.GetProperty("threads").GetInt32(),
            Math.Max(root.GetProperty("matmulGflops").GetDouble(), root.GetProperty("matmulGflopsAfter").GetDouble()),
            Tps("full"), Tps("lora"), Tps("prompt"), training.GetProperty("lora").GetProperty("trainableParameters").GetInt64(),
            root.GetProperty("forwardLatencyMs").GetDouble(), root.GetProperty("cachedDecodeTokensPerSecond").GetDouble());
        log.WriteLine($"  torch {peer.TorchVersion}, {peer.Threads} threads, matmul {peer.MatmulGflops:F1} GFLOP/s; full {peer.FullTokensPerSecond:F0}, "
                      + $"lora {peer.LoraTokensPerSecond:F0}, prompt {peer.PromptTokensPerSecond:F0} tokens/s; forward {peer.ForwardLatencyMs:F1} ms; "
                      + $"cached decode {peer.CachedDecodeTokensPerSecond:F1} tokens/s");
        return peer;
    }
}
