using System;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace ModelDsl.Training.Reporting;

/// <summary>
/// Appends one JSON object per line to <c>metrics.jsonl</c>: <c>{"type":"train",...}</c> per step and
/// <c>{"type":"eval",...}</c> per evaluation, so any tool can plot or compare runs.
/// </summary>
sealed class MetricsLog : IDisposable
{
    /// <summary>The file name inside the output directory.</summary>
    public const string FileName = "metrics.jsonl";

    readonly StreamWriter _writer;

    /// <summary>
    /// Opens the log for a run at <paramref name="startStep"/>: a fresh run (0) starts an empty file; a resumed
    /// run keeps the records up to its checkpoint and drops any written after it by the interrupted run, so
    /// every step appears once.
    /// </summary>
    public MetricsLog(string outputDir, long startStep)
    {
        Directory.CreateDirectory(outputDir);
        var path = Path.Combine(outputDir, FileName);
        var kept = startStep > 0 && File.Exists(path)
            ? File.ReadAllLines(path).Where(line => StepOf(line) is long step && step <= startStep).ToArray()
            : [];
        _writer = new StreamWriter(path, append: false);
        foreach (var line in kept) _writer.WriteLine(line);
        _writer.Flush();
    }

    static long? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.TryGetProperty("step", out var step) ? step.GetInt64() : null;
        }
        catch (JsonException)
        {
            return null; // a line cut short by a crash
        }
    }

    public void Write(StepRecord s) => Line(new
    {
        type = "train", step = s.Step, epoch = s.Epoch, loss = s.Loss, lr = s.LearningRate,
        grad_norm = s.GradientNorm, tokens = s.Tokens, tokens_per_second = s.TokensPerSecond,
    });

    public void Write(EvalRecord e) => Line(new
    {
        type = "eval", step = e.Step, loss = e.Loss, perplexity = e.Perplexity,
        token_accuracy = e.TokenAccuracy, scored_tokens = e.ScoredTokens,
    });

    void Line(object record)
    {
        _writer.WriteLine(JsonSerializer.Serialize(record));
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
