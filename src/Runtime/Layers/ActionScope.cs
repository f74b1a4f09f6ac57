using System;

namespace ModelDsl.Layers;

/// <summary>An <see cref="IDisposable"/> that runs an action once, on the first dispose.</summary>
internal sealed class ActionScope(Action onDispose) : IDisposable
{
    Action? _onDispose = onDispose;

    /// <inheritdoc/>
    public void Dispose()
    {
        var action = _onDispose;
        _onDispose = null;
        action?.Invoke();
    }
}
