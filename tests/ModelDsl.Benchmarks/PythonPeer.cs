using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;

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
}

/// <summary>
/// Runs the Python peer with Debian's interpreter and python3-torch (<c>/usr/bin/python3</c>, or <c>$MODELDSL_PEER_PYTHON</c>)
/// and reads the JSON object it prints.
/// </summary>
internal static class PythonPeer
{
    static string Interpreter =>
        Environment.GetEnvironmentVariable("MODELDSL_PEER_PYTHON") is { Length: > 0 } python ? python
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    public static PeerMeasurement Run(string repoRoot, int threads, int steps, int warmup, int newTokens, TextWriter log)
    {
        var script = Path.Combine(repoRoot, "tests", "ModelDsl.Benchmarks", "peer", "train_step.py");
        var info = new ProcessStartInfo(Interpreter) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { script, "--threads", Num(threads), "--steps", Num(steps), "--warmup", Num(warmup), "--new-tokens", Num(newTokens) })
            info.ArgumentList.Add(a);
        // Same thread count on both sides, whichever pool the peer's BLAS uses.
        info.Environment["OMP_NUM_THREADS"] = Num(threads);
        info.Environment["OPENBLAS_NUM_THREADS"] = Num(threads);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Interpreter}.");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"The Python peer exited with {process.ExitCode}; run {script} by hand to see why.");
        using var json = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
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

    static string Num(int value) => value.ToString(CultureInfo.InvariantCulture);
}
