using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>Counting and listing the parameters of any module, tied weights counted once.</summary>
public static class ModuleInspection
{
    /// <summary>Number of distinct parameter elements (a weight shared by two layers counts once).</summary>
    public static long CountParameters(this nn.Module module) =>
        DistinctParameters(module).Sum(p => p.numel());

    /// <summary>Number of distinct elements that require gradients.</summary>
    public static long CountTrainableParameters(this nn.Module module) =>
        DistinctParameters(module).Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Every parameter with its state-dict name and shape, in registration order.</summary>
    public static IReadOnlyList<ParameterShape> ListParameterShapes(this nn.Module module) =>
        module.named_parameters().Select(np => new ParameterShape(np.name, np.parameter.shape)).ToList();

    /// <summary>
    /// The module's own state dict: <c>state_dict()</c> without the tensors that adapters put inside its layers (LoRA's
    /// <c>lora_A</c>/<c>lora_B</c>, found by structure through each layer's update, not by name). This is what a base
    /// checkpoint holds, whether adapters are attached, merged or neither.
    /// </summary>
    public static Dictionary<string, Tensor> BaseStateDict(this nn.Module module)
    {
        var adapterTensors = new HashSet<System.IntPtr>();
        foreach (var layer in module.modules().OfType<LinearBase>())
            foreach (var child in layer.UpdateChildren)
            {
                foreach (var parameter in child.parameters()) adapterTensors.Add(parameter.Handle);
                foreach (var buffer in child.buffers()) adapterTensors.Add(buffer.Handle);
            }
        return module.state_dict()
            .Where(entry => !adapterTensors.Contains(entry.Value.Handle))
            .ToDictionary(entry => entry.Key, entry => entry.Value, System.StringComparer.Ordinal);
    }

    /// <summary>Every parameter once, by identity, in order: a weight reachable under two names (a tied head) is listed once.</summary>
    public static IEnumerable<Parameter> Distinct(IEnumerable<Parameter> parameters)
    {
        var seen = new HashSet<System.IntPtr>();
        foreach (var parameter in parameters)
            if (seen.Add(parameter.Handle)) yield return parameter;
    }

    /// <summary>Every parameter of <paramref name="module"/> once, with the first state-dict name it is registered under.</summary>
    public static IEnumerable<(string Name, Parameter Parameter)> DistinctNamedParameters(this nn.Module module)
    {
        var seen = new HashSet<System.IntPtr>();
        foreach (var (name, parameter) in module.named_parameters())
            if (seen.Add(parameter.Handle)) yield return (name, parameter);
    }

    static IEnumerable<Parameter> DistinctParameters(nn.Module module) => Distinct(module.parameters());
}
