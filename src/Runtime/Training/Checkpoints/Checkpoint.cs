using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ModelDsl.IO;
using ModelDsl.Models;
using static TorchSharp.torch;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// One checkpoint read back from disk: the trainable weights (<c>model.safetensors</c>), the optimizer's
/// moments (<c>optimizer.safetensors</c>) and the run's position (<c>trainer_state.json</c>).
/// Dispose it to free the tensors.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    /// <summary>File holding the trainable weights, under their module names.</summary>
    public const string WeightsFile = "model.safetensors";

    /// <summary>File holding AdamW's moments, <c>{name}.exp_avg</c> and <c>{name}.exp_avg_sq</c>.</summary>
    public const string OptimizerFile = "optimizer.safetensors";

    /// <summary>File holding <see cref="CheckpointState"/>; written last, so its presence marks a complete checkpoint.</summary>
    public const string StateFile = "trainer_state.json";

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    readonly SafetensorsContent _weights;
    readonly SafetensorsContent _optimizer;

    Checkpoint(string directory, SafetensorsContent weights, SafetensorsContent optimizer, CheckpointState state)
    {
        Directory = directory;
        _weights = weights;
        _optimizer = optimizer;
        State = state;
    }

    /// <summary>The checkpoint's directory.</summary>
    public string Directory { get; }

    /// <summary>Trainable weights by parameter name.</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _weights.Tensors;

    /// <summary>Optimizer moments by <c>{name}.exp_avg</c> / <c>{name}.exp_avg_sq</c>.</summary>
    public IReadOnlyDictionary<string, Tensor> OptimizerState => _optimizer.Tensors;

    /// <summary>Step, data position, RNG state, best eval loss and loss history.</summary>
    public CheckpointState State { get; }

    /// <summary>
    /// Loads <paramref name="path"/>: a checkpoint directory, or a checkpoint root whose newest complete
    /// checkpoint is taken.
    /// </summary>
    /// <exception cref="CheckpointException"><c>trainer_state.json</c> is damaged or describes an impossible run.</exception>
    /// <exception cref="SafetensorsFormatException">A tensor file is damaged.</exception>
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = File.Exists(Path.Combine(path, StateFile)) ? path
            : CheckpointStore.Latest(path) ?? throw new DirectoryNotFoundException(
                $"'{path}' is neither a checkpoint (no {StateFile}) nor a directory holding complete checkpoints.");
        var state = ReadState(Path.Combine(directory, StateFile));
        var weights = SafetensorsFile.Read(Path.Combine(directory, WeightsFile));
        try
        {
            return new Checkpoint(directory, weights, SafetensorsFile.Read(Path.Combine(directory, OptimizerFile)), state);
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    /// <summary>Reads and checks a <c>trainer_state.json</c>: valid JSON of the known fields, and a run that could have happened.</summary>
    /// <exception cref="CheckpointException">It is not, naming the file and the problem.</exception>
    internal static CheckpointState ReadState(string file)
    {
        var text = BoundedFile.ReadAllText(file, BoundedFile.TrainerStateBytes,
            length => new CheckpointException(BoundedFile.TooLarge(file, length, BoundedFile.TrainerStateBytes, "a trainer state") + "."));
        CheckpointState? state;
        try { state = JsonSerializer.Deserialize<CheckpointState>(text, Json); }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            throw new CheckpointException($"'{file}' is not a readable trainer state ({e.Message}); the checkpoint is damaged, resume from another one.", e);
        }
        if (state is null) throw new CheckpointException($"'{file}' is empty (JSON null); the checkpoint is damaged, resume from another one.");
        if (Problem(state) is { } problem)
            throw new CheckpointException($"'{file}' describes an impossible run: {problem}; the checkpoint is damaged, resume from another one.");
        return state;
    }

    static string? Problem(CheckpointState s)
    {
        if (s.Version < 1 || s.Version > CheckpointState.CurrentVersion)
            return $"Version is {s.Version}, and this runtime reads versions 1 to {CheckpointState.CurrentVersion}";
        if (s.Step < 0 || s.TotalSteps < 1 || s.Step > s.TotalSteps) return $"Step {s.Step} of TotalSteps {s.TotalSteps}";
        if (s.MicroBatchesConsumed < s.Step) return $"MicroBatchesConsumed {s.MicroBatchesConsumed} is below Step {s.Step}";
        if (s.StepLosses is null || s.StepLosses.Count > s.Step) return $"StepLosses holds {s.StepLosses?.Count ?? 0} losses for {s.Step} steps";
        if (s.RunId is null) return "RunId is null";
        if (s.BestCheckpoint is not null && !CheckpointNames.IsCheckpointName(s.BestCheckpoint))
            return $"BestCheckpoint '{s.BestCheckpoint}' is not a checkpoint directory name (step-NNNNNNNN)";
        if (s.BestEvalLoss is { } best && !double.IsFinite(best)) return $"BestEvalLoss is {best}";
        if (s.EvalsWithoutImprovement < 0) return $"EvalsWithoutImprovement is {s.EvalsWithoutImprovement}";
        if (s.RngState is null || !IsBase64(s.RngState)) return "RngState is not base64";
        if (s.OptimizerSteps is { } optimizerSteps && (optimizerSteps < 0 || optimizerSteps > s.Step))
            return $"OptimizerSteps {optimizerSteps} lies outside [0, Step {s.Step}]";
        if (s.Precision is not ("float32" or "bfloat16" or "float16")) return $"Precision '{s.Precision}' is not float32, bfloat16 or float16";
        if ((s.Precision == "float16") != s.LossScale.HasValue)
            return s.LossScale.HasValue ? $"a {s.Precision} run records a LossScale" : "a float16 run records no LossScale";
        if (s.LossScale is { } scale && !(scale > 0 && float.IsFinite((float)scale))) return $"LossScale is {scale}";
        if (s.LossScaleGrowthTracker < 0) return $"LossScaleGrowthTracker is {s.LossScaleGrowthTracker}";
        return null;
    }

    static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _weights.Dispose();
        _optimizer.Dispose();
    }
}
