using System.Linq;
using System.Text;

namespace ModelDsl.Benchmarks;

/// <summary>Renders <see cref="SuiteResults"/> as the Markdown tables of <c>results.md</c>.</summary>
internal static class ResultsMarkdown
{
    public static string Render(SuiteResults r)
    {
        var md = new StringBuilder();
        void Line(string text = "") => md.Append(text).Append('\n');
        Line("# ModelDsl benchmark results");
        Line();
        Line($"{r.Date}; {r.Machine}; {r.Threads} threads on both sides; load average before {r.LoadBefore}, after {r.LoadAfter}. "
             + $"Training and the peer's figures are medians of {r.Rounds} alternating rounds.");
        Line();
        Line("| | ModelDsl (TorchSharp) | PyTorch eager | ratio |");
        Line("| --- | ---: | ---: | ---: |");
        Line($"| fp32 matmul 2048³, GFLOP/s | {r.MatmulGflops:F1} | {r.Peer.MatmulGflops:F1} (torch {r.Peer.TorchVersion}) | {r.MatmulGflops / r.Peer.MatmulGflops:F2}× |");
        foreach (var mode in TrainingModes.All)
        {
            var t = r.TrainingOf(mode);
            Line($"| training, {mode.Key()} ({t.TrainableParameters:N0} trainable), tokens/s | {t.TokensPerSecond:F0} | {r.Peer.TokensPerSecond(mode):F0} | {r.SpeedupOverPeer(mode):F2}× |");
        }
        Line($"| LoRA parameters trained | {r.TrainingOf(TrainingMode.Lora).TrainableParameters:N0} | {r.Peer.LoraTrainableParameters:N0} | |");
        Line($"| forward, batch 1 × 256, median ms | {r.Inference.BareMedianMs:F1} | {r.Peer.ForwardLatencyMs:F1} | {r.Peer.ForwardLatencyMs / r.Inference.BareMedianMs:F2}× faster |");
        Line($"| greedy decode with cache, {r.Decode.NewTokens} new tokens, tokens/s | {r.Decode.CachedTokensPerSecond:F1} | {r.Peer.CachedDecodeTokensPerSecond:F1} | {r.CachedOverPeer:F2}× |");
        Line();
        Line("| training | model GFLOP/s | share of the measured matmul peak |");
        Line("| --- | ---: | ---: |");
        foreach (var mode in TrainingModes.All)
            Line($"| {mode.Key()} | {r.TrainingOf(mode).ModelFlopsPerSecond / 1e9:F1} | {r.FractionOfPeak(mode):P0} |");
        Line();
        Line($"| peak memory ({MemoryBenchmark.Describe}) | VmHWM, MiB |");
        Line("| --- | ---: |");
        foreach (var m in r.Memory) Line($"| {m.Mode} ({m.TrainableParameters:N0} trainable) | {m.PeakBytes / 1048576.0:F0} |");
        Line($"| LoRA / full | {r.LoraMemoryOverFull:F2}× |");
        Line();
        Line("| inference (batch 1 × 256, no gradients) | fastest, ms | / bare | median, ms |");
        Line("| --- | ---: | ---: | ---: |");
        Line($"| bare base | {r.Inference.BareMs:F2} | 1.000× | {r.Inference.BareMedianMs:F2} |");
        Line($"| LoRA merged | {r.Inference.MergedMs:F2} | {r.Inference.MergedOverBare:F3}× | {r.Inference.MergedMedianMs:F2} |");
        Line($"| LoRA unmerged | {r.Inference.UnmergedMs:F2} | {r.Inference.UnmergedOverBare:F3}× | {r.Inference.UnmergedMedianMs:F2} |");
        Line();
        Line($"Decode, {r.Decode.NewTokens} new tokens after a {r.Decode.PromptTokens}-token prompt: cached {r.Decode.CachedTokensPerSecond:F1} tokens/s, "
             + $"uncached {r.Decode.UncachedTokensPerSecond:F1} tokens/s ({r.Decode.Speedup:F2}×); same tokens: {r.Decode.TokensMatch}.");
        Line();
        Line($"Generator, {r.Generator.Declarations} declarations: first run in a cold process {r.Generator.ProcessColdMs:F0} ms, "
             + $"fresh driver in a warm process {r.Generator.FreshDriverMs:F1} ms; after an unrelated edit "
             + $"{r.Generator.CachedOutputs}/{r.Generator.TrackedOutputs} tracked step outputs cached or unchanged.");
        Line();
        Line("| target | goal | measured | |");
        Line("| --- | --- | ---: | --- |");
        foreach (var t in r.Targets) Line($"| {t.Name} | {t.Goal} | {t.Measured} | {(t.Met ? "met" : "missed")} |");
        return md.ToString();
    }
}
