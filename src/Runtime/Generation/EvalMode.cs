using System;
using TorchSharp;

namespace ModelDsl.Generation;

/// <summary>Puts a model module in evaluation mode (no dropout) and restores training mode on dispose.</summary>
internal sealed class EvalMode : IDisposable
{
    readonly torch.nn.Module? _module;
    readonly bool _wasTraining;

    EvalMode(torch.nn.Module? module)
    {
        _module = module;
        _wasTraining = module?.training ?? false;
        module?.eval();
    }

    /// <summary>Switches <paramref name="model"/> to evaluation mode when it is a module.</summary>
    public static EvalMode Enter(object model) => new(model as torch.nn.Module);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_wasTraining) _module!.train();
    }
}
