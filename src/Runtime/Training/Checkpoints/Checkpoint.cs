using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using ModelDsl.IO;
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
    public static Checkpoint Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var directory = File.Exists(Path.Combine(path, StateFile)) ? path
            : CheckpointStore.Latest(path) ?? throw new DirectoryNotFoundException(
                $"'{path}' is neither a checkpoint (no {StateFile}) nor a directory holding complete checkpoints.");
        var state = JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(Path.Combine(directory, StateFile)), Json)
            ?? throw new InvalidDataException($"'{Path.Combine(directory, StateFile)}' is empty.");
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

    /// <inheritdoc/>
    public void Dispose()
    {
        _weights.Dispose();
        _optimizer.Dispose();
    }
}
