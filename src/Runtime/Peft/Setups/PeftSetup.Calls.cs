using System;
using ModelDsl.Layers;

namespace ModelDsl.Peft;

/// <summary>What an adapter call does to the setup, which decides what it must not overlap.</summary>
internal enum AdapterCall
{
    /// <summary>Changes adapters or weights for good (switch, add, load, merge, unload): not while training or inference run.</summary>
    Change,

    /// <summary>Switches adapters off for a scope: not while inference runs (a trainer's own reference pass may).</summary>
    Toggle,

    /// <summary>Reads the weights (a save): not while another thread trains.</summary>
    Save,
}

// One call at a time for what changes or saves the setup's adapters, and nothing of that while the model is in use.
public abstract partial class PeftSetup
{
    OneCallAtATime? _calls;
    bool _unloaded;

    /// <summary>Whether <see cref="MergeAndUnload"/> has removed the adapters (the setup is then the plain base).</summary>
    public bool IsUnloaded => _unloaded;

    /// <summary>
    /// Starts <paramref name="operation"/> on the setup's adapters: one such call at a time (another thread's overlapping
    /// call throws), never after <see cref="MergeAndUnload"/>, and not while work it would corrupt runs on the setup.
    /// </summary>
    /// <exception cref="ConcurrentUseException">Another adapter call is running, or the setup is in use.</exception>
    /// <exception cref="InvalidOperationException">The adapters were merged and unloaded.</exception>
    internal IDisposable EnterAdapterCall(string operation, AdapterCall kind)
    {
        if (_unloaded)
            throw new InvalidOperationException(
                $"{operation}: this setup's adapters were merged into the base and unloaded (MergeAndUnload); use the returned base model, or build a new setup over a fresh base.");
        var call = (_calls ??= new OneCallAtATime(GetType().Name)).Enter(operation);
        bool trainingHere = kind == AdapterCall.Change, inference = kind != AdapterCall.Save;
        var busy = ModelActivity.Busy(this, trainingHere, inference) ?? ModelActivity.Busy(BaseModel, trainingHere, inference);
        if (busy is null) return call;
        call.Dispose();
        throw new ConcurrentUseException(
            $"{GetType().Name}.{operation} was called while {busy}; doing it now would corrupt that work. Call it after it returns.");
    }
}
