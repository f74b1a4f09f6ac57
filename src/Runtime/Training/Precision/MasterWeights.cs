using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training.Precision;

/// <summary>
/// Float32 master copies of a module's trainable parameters for mixed-precision training (Micikevicius et al. 2018,
/// apex O2, Megatron): the module computes in bfloat16 or float16 (its <em>working</em> parameters), while the optimizer
/// updates float32 masters, so updates smaller than the low-precision spacing accumulate instead of being rounded
/// away. The optimizer's state lives beside the masters and is float32 too.
/// </summary>
/// <remarks>
/// <para>One step: backward through the module (working gradients in the compute dtype) →
/// <see cref="CopyGradientsToMasters"/> (float32 master gradients; working gradients released) → optimizer step on
/// <see cref="Masters"/> (with <see cref="DynamicLossScaler"/> for float16) → <see cref="CopyMastersToWorking"/>
/// (each working value is the master rounded to nearest-even).</para>
/// <para><see cref="Create(nn.Module, ScalarType)"/> converts the whole module (frozen parameters included) to the compute dtype; create it
/// after moving the module to its device. The pairs are found again by name on every call, so a module whose
/// parameters were replaced since (moved, reloaded) is refused instead of silently diverging.</para>
/// </remarks>
public sealed class MasterWeights : IDisposable
{
    readonly nn.Module _module;
    readonly (string Name, Parameter Master)[] _masters;

    MasterWeights(nn.Module module, ScalarType computeDtype, (string, Parameter)[] masters)
    {
        _module = module;
        ComputeDtype = computeDtype;
        _masters = masters;
    }

    /// <summary>The dtype the module computes in.</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>The float32 masters, named like the module's parameters: give these to the optimizer.</summary>
    public IReadOnlyList<(string Name, Parameter Master)> Masters => _masters;

    /// <summary>
    /// Takes float32 copies of <paramref name="module"/>'s trainable parameters (those requiring a gradient), then
    /// converts the module to <paramref name="computeDtype"/> (bfloat16 or float16).
    /// </summary>
    public static MasterWeights Create(nn.Module module, ScalarType computeDtype)
    {
        ArgumentNullException.ThrowIfNull(module);
        return Create(module, computeDtype, module.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList());
    }

    /// <summary>
    /// As <see cref="Create(nn.Module, ScalarType)"/> for the named parameters only (state-dict names, each once: a
    /// weight shared by two modules is named once, so it gets one master).
    /// </summary>
    public static MasterWeights Create(nn.Module module, ScalarType computeDtype, IReadOnlyCollection<string> trainableNames)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(trainableNames);
        if (computeDtype is not (ScalarType.BFloat16 or ScalarType.Float16))
            throw new ArgumentOutOfRangeException(nameof(computeDtype), computeDtype,
                "Master weights pair a bfloat16 or float16 module with float32 copies; in float32 the module needs none.");
        var byName = module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var unknown = trainableNames.FirstOrDefault(n => !byName.ContainsKey(n));
        if (unknown is not null)
            throw new ArgumentException($"The module has no parameter named '{unknown}' to keep a master copy of.", nameof(trainableNames));
        var trainable = trainableNames.Select(n => (name: n, parameter: byName[n])).ToList();
        var frozen = trainable.FirstOrDefault(p => !p.parameter.requires_grad);
        if (frozen.parameter is not null)
            throw new ArgumentException($"Parameter '{frozen.name}' does not require a gradient, so it cannot be trained through a master copy.", nameof(trainableNames));
        if (trainable.Count == 0)
            throw new ArgumentException("The module has no parameter that requires a gradient, so there is nothing to keep a master copy of.", nameof(module));
        var notFloat32 = trainable.FirstOrDefault(p => p.parameter.dtype != ScalarType.Float32);
        if (notFloat32.parameter is not null)
            throw new ArgumentException(
                $"Trainable parameter '{notFloat32.name}' is {notFloat32.parameter.dtype}; create the master weights from the float32 " +
                "module, before converting it, so the masters start from the exact values.", nameof(module));
        var masters = trainable.Select(p =>
        {
            using var _ = no_grad();
            var copy = new Parameter(p.parameter.detach().clone(), requires_grad: true);
            copy.DetachFromDisposeScope();
            return (p.name, copy);
        }).ToArray();
        module.to(computeDtype);
        var result = new MasterWeights(module, computeDtype, masters);
        result.WorkingParameters();   // checks the conversion kept every trainable parameter
        return result;
    }

    /// <summary>
    /// Sets each master's gradient to its working parameter's gradient in float32 (exact: every bfloat16/float16 value
    /// is a float32 value) and releases the working gradients. A parameter without a gradient leaves its master without one.
    /// </summary>
    public void CopyGradientsToMasters()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var working = WorkingParameters();
        for (var i = 0; i < _masters.Length; i++)
        {
            var master = _masters[i].Master;
            var gradient = working[i].grad;
            if (gradient is null)
            {
                master.grad = null;
                continue;
            }
            var existing = master.grad;
            if (existing is null) master.grad = gradient.to_type(ScalarType.Float32);
            else existing.copy_(gradient);
            working[i].grad = null;
        }
    }

    /// <summary>Writes every master, rounded to <see cref="ComputeDtype"/>, into its working parameter.</summary>
    public void CopyMastersToWorking()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var working = WorkingParameters();
        for (var i = 0; i < _masters.Length; i++) working[i].copy_(_masters[i].Master);
    }

    /// <summary>The module's current parameter for each master, checked.</summary>
    Parameter[] WorkingParameters()
    {
        var byName = _module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var working = new Parameter[_masters.Length];
        for (var i = 0; i < _masters.Length; i++)
        {
            var (name, master) = _masters[i];
            if (!byName.TryGetValue(name, out var parameter))
                throw new InvalidOperationException($"The module no longer has parameter '{name}'; master weights follow the module they were created for.");
            if (parameter.dtype != ComputeDtype || !parameter.shape.SequenceEqual(master.shape) || parameter.device_type != master.device_type || parameter.device_index != master.device_index)
                throw new InvalidOperationException(
                    $"Parameter '{name}' is now {parameter.dtype} [{string.Join(", ", parameter.shape)}] on {parameter.device}; its master is " +
                    $"float32 [{string.Join(", ", master.shape)}] on {master.device} for {ComputeDtype} compute. Create the master weights " +
                    "again after moving or converting the module.");
            if (!parameter.requires_grad)
                throw new InvalidOperationException($"Parameter '{name}' no longer requires a gradient; it cannot be trained through its master.");
            working[i] = parameter;
        }
        return working;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var (_, master) in _masters) master.Dispose();
    }
}
