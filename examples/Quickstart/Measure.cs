using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ModelDsl.Data;
using ModelDsl.Models;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Quickstart;

/// <summary>Task accuracy over every story, and over the stories whose event pretraining never labelled.</summary>
public sealed record TaskScore(double Accuracy, double UnwrittenAccuracy);

/// <summary>The numbers the quickstart reports, each measured the same way for every method.</summary>
public static class Measure
{
    /// <summary>Share of <paramref name="stories"/> whose generated answer is exactly the label, over all and over the unwritten events.</summary>
    public static TaskScore Accuracy(IReadOnlyList<Story> stories, Func<Story, string> answer)
    {
        var right = stories.Select(s => (s.Unwritten, Right: answer(s).Trim() == s.Feeling.ToString())).ToList();
        static double Share(IEnumerable<bool> xs) => xs.DefaultIfEmpty().Average(x => x ? 1.0 : 0.0);
        return new TaskScore(Share(right.Select(r => r.Right)), Share(right.Where(r => r.Unwritten).Select(r => r.Right)));
    }

    /// <summary>Mean next-token loss on held-out pretraining documents: the base skill that fine-tuning may erode.</summary>
    public static double LanguageModelLoss(ICausalLanguageModel model, TokenizedDataset documents)
    {
        var module = (nn.Module)model;
        var wasTraining = module.training;
        module.eval();
        using var _ = no_grad();
        double nll = 0;
        long targets = 0;
        for (var start = 0; start < documents.Count; start += 16)
        {
            using var scope = NewDisposeScope();
            using var batch = Batch.Collate(documents.Skip(start).Take(16).ToList(), documents.PadTokenId);
            nll += CausalLmLoss.SumNll(model.Forward(batch.InputIds, batch.AttentionMask), batch.Labels).to_type(ScalarType.Float64).item<double>();
            targets += batch.TargetCount;
        }
        module.train(wasTraining);
        return nll / targets;
    }

    /// <summary>Bytes of every file under <paramref name="directory"/>.</summary>
    public static long DirectoryBytes(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}

/// <summary>
/// The peak of the process working set (resident memory: managed heap, TorchSharp's native tensors and the runtime)
/// while it runs, sampled after every optimizer step. The process's baseline is included, so compare rows, not zero.
/// </summary>
public sealed class WorkingSetPeak
{
    readonly Process _process = Process.GetCurrentProcess();

    public long Bytes { get; private set; }

    public void Sample()
    {
        _process.Refresh();
        Bytes = Math.Max(Bytes, _process.WorkingSet64);
    }
}
