using System;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Peft;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>
/// What training optimises, defined once for the trainer and the memory estimate: a setup's
/// <see cref="PeftSetup.TrainableParameters"/> (its documented contract), or for a plain model every distinct parameter
/// with <c>requires_grad</c>. Names are the state-dict names checkpoints store them under.
/// </summary>
internal static class TrainedParameters
{
    public static (string Name, Parameter Parameter)[] Of(nn.Module model)
    {
        var named = model.DistinctNamedParameters().ToList();
        if (model is not PeftSetup setup)
            return named.Where(p => p.Parameter.requires_grad).ToArray();
        var names = named.ToDictionary(p => p.Parameter.Handle, p => p.Name);
        return setup.TrainableParameters().Select(p => names.TryGetValue(p.Handle, out var name)
                ? (name, p)
                : throw new InvalidOperationException($"{setup.GetType().Name}.TrainableParameters() returned a parameter the setup does not register; it cannot be checkpointed."))
            .ToArray();
    }
}
