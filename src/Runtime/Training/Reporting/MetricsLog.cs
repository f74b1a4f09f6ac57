using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;

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
        if (startStep > 0 && File.Exists(path))
        {
            // Rewritten atomically: a crash here must not lose the records of the steps before the checkpoint.
            var kept = File.ReadLines(path).Where(line => StepOf(line) is long step && step <= startStep).ToList();
            AtomicFile.Write(path, stream =>
            {
                using var writer = new StreamWriter(stream, leaveOpen: true);
                foreach (var line in kept) writer.WriteLine(line);
            });
            _writer = new StreamWriter(path, append: true);
        }
        else _writer = new StreamWriter(path, append: false);
    }

    static long? StepOf(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("step", out var step)
                && step.ValueKind == JsonValueKind.Number && step.TryGetInt64(out var value) ? value : null;
        }
        catch (JsonException)
        {
            return null; // a line cut short by a crash
        }
    }

    public void Write(StepRecord s)
    {
        var record = new Dictionary<string, object>
        {
            ["type"] = "train", ["step"] = s.Step, ["epoch"] = s.Epoch, ["loss"] = s.Loss, ["lr"] = s.LearningRate,
            ["grad_norm"] = s.GradientNorm, ["tokens"] = s.Tokens, ["tokens_per_second"] = s.TokensPerSecond,
        };
        if (s.LossScale is { } scale) record["loss_scale"] = scale;
        if (s.Skipped) record["skipped"] = true;
        Line(record, s.Metrics);
    }

    public void Write(EvalRecord e) => Line(new Dictionary<string, object>
    {
        ["type"] = "eval", ["step"] = e.Step, ["loss"] = e.Loss, ["perplexity"] = e.Perplexity,
        ["token_accuracy"] = e.TokenAccuracy, ["scored_tokens"] = e.ScoredTokens,
    }, e.Metrics);

    // An objective's own metrics follow the common fields; a value that means nothing for it (NaN) is left out,
    // as JSON has no NaN.
    void Line(Dictionary<string, object> record, IReadOnlyDictionary<string, double>? metrics)
    {
        foreach (var (name, value) in metrics ?? new Dictionary<string, double>()) record[name] = value;
        foreach (var name in record.Where(p => p.Value is double d && !double.IsFinite(d)).Select(p => p.Key).ToList()) record.Remove(name);
        _writer.WriteLine(JsonSerializer.Serialize(record));
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();
}
