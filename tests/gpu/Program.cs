using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using ModelDsl.Data;
using ModelDsl.Layers.Quantization;
using ModelDsl.Models;
using ModelDsl.Peft;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

// The issue-19 checks on CUDA: checkpointed gradients equal plain ones, bf16 training ends near fp32, NF4 codes on the GPU
// equal those on the CPU, and a short LoRA training run reports tokens/s and peak device memory. Exits 0 without a GPU.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (!cuda.is_available())
{
    Console.WriteLine("No CUDA device is visible to libtorch (or this build uses a CPU backend): nothing to check. See tests/gpu/README.md.");
    return 0;
}
var device = CUDA;
Console.WriteLine($"CUDA devices: {cuda.device_count()}");
var failures = 0;
void Check(string name, bool ok, string detail)
{
    Console.WriteLine($"{(ok ? "PASS" : "FAIL")}  {name}: {detail}");
    if (!ok) failures++;
}

var tiny = new Gpt2Config(Layers: 2, Dim: 64, Heads: 4, Vocab: 256, Context: 64);

// 1. Gradient checkpointing: the same gradients as the plain backward.
{
    manual_seed(1);
    using var model = new Gpt2LMHeadModel(tiny);
    model.to(device);
    using var ids = randint(0, tiny.Vocab, [4, 32], dtype: ScalarType.Int64, device: device);
    Tensor[] Gradients(bool checkpointing)
    {
        model.GradientCheckpointing = checkpointing;
        model.train();
        foreach (var p in model.parameters()) p.grad = null;
        using (var scope = NewDisposeScope()) CausalLmLoss.SumNll(model.Forward(ids), ids).backward();
        return model.parameters().Select(p => p.grad!.detach().clone()).ToArray();
    }
    var plain = Gradients(false);
    var checkpointed = Gradients(true);
    var worst = plain.Zip(checkpointed, (a, b) => (a - b).abs().max().item<float>()).Max();
    Check("checkpointing gradients", worst <= 1e-5f, $"max |plain − checkpointed| = {worst:E2} (≤ 1e-5; cuBLAS may reorder sums)");
}

// 2. bf16 mixed precision: the final loss of a short run within 2 % of fp32's.
{
    var random = new Random(3);
    var pattern = Enumerable.Range(0, 64).Select(i => (i * 7) % tiny.Vocab).ToArray();
    var data = new TokenizedDataset(Enumerable.Range(0, 32).Select(_ =>
    {
        var start = random.Next(16);
        var ids = pattern.Skip(start).Take(32).ToArray();
        return new TokenizedSequence(ids, ids);
    }));
    double FinalLoss(TrainingPrecision precision)
    {
        manual_seed(2);
        using var model = new Gpt2LMHeadModel(tiny);
        model.to(device);
        var options = new TrainerOptions { MaxSteps = 60, BatchSize = 8, LearningRate = 3e-3, Device = device, Precision = precision, LogEvery = 1000 };
        using var trainer = new Trainer(model, options, TextWriter.Null);
        return trainer.Fit(new NextTokenObjective(model, data)).Steps.Last().Loss;
    }
    var fp32 = FinalLoss(TrainingPrecision.Float32);
    var bf16 = FinalLoss(TrainingPrecision.BFloat16);
    Check("bf16 mixed precision", Math.Abs(bf16 - fp32) <= 0.02 * fp32, $"final loss fp32 {fp32:F4}, bf16 {bf16:F4}");
}

// 3. NF4: quantizing on the GPU gives the CPU's codes and scales, and dequantizes to the CPU's values.
{
    manual_seed(4);
    using var weight = randn(256, 512) * 0.02;
    using var onCpu = Nf4Weight.Quantize(weight);
    using var onGpu = Nf4Weight.Quantize(weight.to(device));
    var codesEqual = onCpu.Packed.equal(onGpu.Packed.cpu()).item<bool>();
    var valuesEqual = onCpu.Dequantize().equal(onGpu.Dequantize().cpu()).item<bool>();
    var error = (onGpu.Dequantize().cpu() - weight).abs().max().item<float>();
    Check("NF4 round trip", codesEqual && valuesEqual, $"codes equal {codesEqual}, dequantized equal {valuesEqual}, max |w − dequant(w)| = {error:E2}");
}

// 4. A short LoRA run on GPT-2 small's shape: tokens/s and peak device memory (nvidia-smi's view of this process).
{
    const int batch = 8, sequence = 256, steps = 10;
    manual_seed(5);
    using var model = new Gpt2LMHeadModel(new Gpt2Config(12, 768, 12, 50257, 1024));
    using var setup = new LoraOnAttention(model);
    setup.to(device);
    var random = new Random(6);
    var data = new TokenizedDataset(Enumerable.Range(0, batch * steps).Select(_ =>
    {
        var ids = Enumerable.Range(0, sequence).Select(_ => random.Next(50257)).ToArray();
        return new TokenizedSequence(ids, ids);
    }));
    foreach (var (name, precision, checkpointing) in new[] { ("fp32", TrainingPrecision.Float32, false), ("bf16 + checkpointing", TrainingPrecision.BFloat16, true) })
    {
        var options = new TrainerOptions { MaxSteps = steps, BatchSize = batch, Device = device, Precision = precision, GradientCheckpointing = checkpointing, LogEvery = 1000, Shuffle = false };
        var estimate = setup.EstimateMemory(batch, sequence, options);
        using var sampler = new DeviceMemorySampler();
        var clock = Stopwatch.StartNew();
        using (var trainer = new Trainer(setup, options, TextWriter.Null)) trainer.Fit(new NextTokenObjective(setup, data));
        cuda.synchronize();
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"INFO  LoRA r=8 on GPT-2 small, {name}: {batch * sequence * steps / seconds:N0} tokens/s; peak device memory " +
                          $"{(sampler.PeakMib is { } peak ? $"{peak:N0} MiB (nvidia-smi, includes the CUDA context)" : "unknown (nvidia-smi not found)")}; estimate {estimate}");
        if (precision != TrainingPrecision.Float32) break;   // the trainer left the model in bf16
    }
}

Console.WriteLine(failures == 0 ? "All GPU checks passed." : $"{failures} GPU check(s) failed.");
return failures == 0 ? 0 : 1;

/// <summary>LoRA r=8 (alpha 16) on every block's c_attn and attn.c_proj.</summary>
sealed class LoraOnAttention : PeftSetup<Gpt2LMHeadModel>
{
    public LoraOnAttention(Gpt2LMHeadModel model) : base(model, new LoraConfig(new LoraSettings(8, 16), ["attn.c_attn", "attn.c_proj"]))
    {
        for (var i = 0; i < model.Config.Layers; i++)
        {
            AttachLora(model.transformer.h[i].attn.c_attn, $"transformer.h.{i}.attn.c_attn");
            AttachLora(model.transformer.h[i].attn.c_proj, $"transformer.h.{i}.attn.c_proj");
        }
    }
}

/// <summary>Samples this process's device memory from nvidia-smi every 100 ms and keeps the largest value.</summary>
sealed class DeviceMemorySampler : IDisposable
{
    readonly Timer _timer;
    long _peak = -1;

    public DeviceMemorySampler() => _timer = new Timer(_ => Sample(), null, 0, 100);

    public long? PeakMib => Interlocked.Read(ref _peak) is var p && p >= 0 ? p : null;

    void Sample()
    {
        try
        {
            var info = new ProcessStartInfo("nvidia-smi", "--query-compute-apps=pid,used_memory --format=csv,noheader,nounits")
                { RedirectStandardOutput = true, UseShellExecute = false };
            using var smi = Process.Start(info)!;
            var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            foreach (var line in smi.StandardOutput.ReadToEnd().Split('\n'))
            {
                var parts = line.Split(',', StringSplitOptions.TrimEntries);
                if (parts.Length == 2 && parts[0] == pid && long.TryParse(parts[1], out var mib))
                {
                    long seen;
                    while ((seen = Interlocked.Read(ref _peak)) < mib && Interlocked.CompareExchange(ref _peak, mib, seen) != seen) { }
                }
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            _timer.Change(Timeout.Infinite, Timeout.Infinite);   // no nvidia-smi: the peak stays unknown
        }
    }

    public void Dispose() => _timer.Dispose();
}
