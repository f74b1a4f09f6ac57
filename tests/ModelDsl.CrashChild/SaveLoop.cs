using System;
using ModelDsl.IO;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.CrashChild;

/// <summary>
/// Saves two tiny GPT-2 models (initialised from seeds A and B) into the same directory in turn, without end,
/// printing <c>saved &lt;i&gt;</c> after each save. Killed mid-save, the directory must still hold one complete model.
/// </summary>
internal static class SaveLoop
{
    /// <summary>The configuration of both models; the test builds the same ones to compare.</summary>
    public static readonly Gpt2Config Config = new(Layers: 1, Dim: 64, Heads: 4, Vocab: ToyData.Vocab, Context: ToyData.Length);

    public static int Run(string directory, int seedA, int seedB)
    {
        set_num_threads(1);
        manual_seed(seedA);
        using var a = new Gpt2LMHeadModel(Config);
        manual_seed(seedB);
        using var b = new Gpt2LMHeadModel(Config);
        for (var i = 0; i < 100_000; i++)
        {
            (i % 2 == 0 ? a : b).SavePretrained(directory);
            Console.WriteLine($"saved {i}");
        }
        return 0;
    }
}
