using System.Linq;
using static TorchSharp.torch;

namespace ModelDsl.Peft;

// Moving a setup (to(device), to(dtype)) moves what its registry does not reach: the prompts and bottleneck adapters
// of inactive adapters, and the soft prompt the setup registers on behalf of its SoftPrompt module.
public abstract partial class PeftSetup
{
    /// <inheritdoc/>
    protected override void OnMoving()
    {
        // The setup registers the active prompt's weight; left registered, the move would replace (and dispose) the
        // parameter the SoftPrompt module still holds. The prompts move as modules in OnMoved instead.
        if (_prompts.Count > 0) ConditionallyRegisterParameter(PromptParameterName, null);
    }

    /// <inheritdoc/>
    protected override void OnMoved(ScalarType? dtype, Device? device, bool nonBlocking)
    {
        foreach (var prompt in _prompts.Values) MoveAlong(prompt, dtype, device, nonBlocking);
        if (ActivePrompt is { } active) ConditionallyRegisterParameter(PromptParameterName, active.weight);
        // The active bottleneck adapters moved through the registry; moving them again does nothing.
        foreach (var adapter in _bottleneckSlots.SelectMany(s => s.Adapters.Values)) MoveAlong(adapter, dtype, device, nonBlocking);
        // Moved parameters are new objects: point the selection at them.
        if (_selected.Count > 0)
        {
            var byPath = named_parameters().ToDictionary(p => p.name, p => p.parameter);
            for (var i = 0; i < _selected.Count; i++) _selected[i] = _selected[i] with { Parameter = byPath[_selected[i].Path] };
        }
    }
}
