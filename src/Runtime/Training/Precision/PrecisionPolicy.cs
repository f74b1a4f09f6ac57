using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training.Precision;

/// <summary>
/// How a <see cref="Trainer"/> runs in its <see cref="TrainingPrecision"/>. In float32 it passes everything through.
/// In bfloat16 or float16 it converts the module (frozen base included) to that dtype and hands the optimizer float32
/// <see cref="MasterWeights"/> of the trainable parameters, so AdamW's moments are float32 too; in float16 it adds a
/// <see cref="DynamicLossScaler"/>. One step:
/// <code>
/// backward(ScaleLoss(loss))                 each micro-batch; working gradients in the compute dtype
/// overflow = GradientsToMasters()           float32 master gradients, unscaled and checked (float16)
/// overflow ? skip : clip + AdamW on masters → MastersToWorking()
/// EndStep()                                 the scaler backs off after an overflow, else counts towards growth
/// </code>
/// </summary>
internal sealed class PrecisionPolicy : IDisposable
{
    readonly MasterWeights? _masters;

    PrecisionPolicy(TrainingPrecision precision, (string Name, Parameter Parameter)[] optimized, MasterWeights? masters, DynamicLossScaler? scaler)
    {
        Precision = precision;
        Optimized = optimized;
        _masters = masters;
        Scaler = scaler;
    }

    /// <summary>The format the module computes in.</summary>
    public TrainingPrecision Precision { get; }

    /// <summary>What the optimizer updates and checkpoints store: the trainable parameters, or their float32 masters.</summary>
    public (string Name, Parameter Parameter)[] Optimized { get; }

    /// <summary>The float16 loss scaler; <see langword="null"/> in the other formats.</summary>
    public DynamicLossScaler? Scaler { get; }

    /// <summary>
    /// Sets up <see cref="TrainerOptions.Precision"/> for <paramref name="module"/>, whose <paramref name="trainable"/> parameters
    /// are float32 (converting the module when the format is not float32).
    /// </summary>
    public static PrecisionPolicy Create(nn.Module module, (string Name, Parameter Parameter)[] trainable, TrainerOptions options)
    {
        var precision = options.Precision;
        if (precision == TrainingPrecision.Float32) return new PrecisionPolicy(precision, trainable, null, null);
        var notFloat32 = trainable.FirstOrDefault(p => p.Parameter.dtype != ScalarType.Float32);
        if (notFloat32.Parameter is not null)
            throw new ArgumentException(
                $"TrainerOptions.Precision = {precision} keeps float32 master copies of the trainable parameters, but '{notFloat32.Name}' is " +
                $"{notFloat32.Parameter.dtype}: give the trainer the float32 model (it converts the model to {precision} itself).", nameof(module));
        var dtype = precision == TrainingPrecision.BFloat16 ? ScalarType.BFloat16 : ScalarType.Float16;
        var masters = MasterWeights.Create(module, dtype, trainable.Select(p => p.Name).ToList());
        var scaler = precision == TrainingPrecision.Float16
            ? new DynamicLossScaler(options.InitialLossScale, growthInterval: options.LossScaleGrowthInterval)
            : null;
        return new PrecisionPolicy(precision, masters.Masters.Select(m => (m.Name, m.Master)).ToArray(), masters, scaler);
    }

    /// <summary>The name checkpoints record the format under (<c>float32</c>, <c>bfloat16</c>, <c>float16</c>).</summary>
    public static string NameOf(TrainingPrecision precision) => precision switch
    {
        TrainingPrecision.BFloat16 => "bfloat16",
        TrainingPrecision.Float16 => "float16",
        _ => "float32",
    };

    /// <summary>The loss to call <c>backward()</c> on: scaled in float16, as it is otherwise.</summary>
    public Tensor ScaleLoss(Tensor loss) => Scaler?.ScaleLoss(loss) ?? loss;

    /// <summary>
    /// Moves the step's gradients onto <see cref="Optimized"/> (float32, unscaled) and tells whether they overflowed
    /// (float16 only: the step must then be skipped).
    /// </summary>
    public bool GradientsToMasters()
    {
        if (_masters is null) return false;
        _masters.CopyGradientsToMasters();
        return Scaler?.Unscale(Optimized.Select(p => (Tensor)p.Parameter)) ?? false;
    }

    /// <summary>After an optimizer step (or a resume): the working parameters take the masters' values, rounded.</summary>
    public void MastersToWorking() => _masters?.CopyMastersToWorking();

    /// <summary>Ends the step: the scaler adjusts its scale from the step's overflow check.</summary>
    public void EndStep() => Scaler?.Update();

    /// <inheritdoc/>
    public void Dispose() => _masters?.Dispose();
}
