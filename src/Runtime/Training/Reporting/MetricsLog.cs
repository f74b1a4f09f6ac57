using System;
using System.IO;
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

    public MetricsLog(string outputDir, bool append)
    {
        Directory.CreateDirectory(outputDir);
        _writer = new StreamWriter(Path.Combine(outputDir, FileName), append);
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
