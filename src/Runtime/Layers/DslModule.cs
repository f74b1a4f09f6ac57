using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

// Generated models and the runtime's layers register every sub-module and parameter explicitly,
// under its checkpoint name, in the constructor. TorchSharp's default RegisterComponents would then
// register the backing fields a second time by reflection (under their C# names), so these bases
// turn it off.

/// <summary>Base of modules whose components are registered explicitly (no reflection).</summary>
public abstract class DslModule : nn.Module
{
    /// <summary>Creates the module.</summary>
    protected DslModule(string name) : base(name) { }

    /// <inheritdoc/>
    protected override void RegisterComponents() { }
}

/// <summary>Base of one-input modules whose components are registered explicitly (no reflection).</summary>
public abstract class DslModule<TInput, TResult> : nn.Module<TInput, TResult>
{
    /// <summary>Creates the module.</summary>
    protected DslModule(string name) : base(name) { }

    /// <inheritdoc/>
    protected override void RegisterComponents() { }

    /// <inheritdoc/>
    protected override nn.Module _to(Device device, ScalarType dtype, bool non_blocking)
    {
        OnMoving();
        base._to(device, dtype, non_blocking);
        OnMoved(dtype, device, non_blocking);
        return this;
    }

    /// <inheritdoc/>
    protected override nn.Module _to(DeviceType deviceType, int deviceIndex, bool non_blocking)
    {
        OnMoving();
        base._to(deviceType, deviceIndex, non_blocking);
        OnMoved(null, new Device(deviceType, deviceIndex), non_blocking);
        return this;
    }

    /// <inheritdoc/>
    protected override nn.Module _to(ScalarType dtype, bool non_blocking)
    {
        OnMoving();
        base._to(dtype, non_blocking);
        OnMoved(dtype, null, non_blocking);
        return this;
    }

    /// <summary>Called before <c>to(…)</c> moves this module: a module that registers a tensor another module owns unregisters it here.</summary>
    protected virtual void OnMoving() { }

    /// <summary>
    /// Called after <c>to(…)</c> moved this module's registered parameters, buffers and children. A module that holds
    /// tensors the registry does not reach (inactive adapters, prompts of other adapters) moves them here.
    /// </summary>
    protected virtual void OnMoved(ScalarType? dtype, Device? device, bool nonBlocking) { }

    /// <summary>Moves <paramref name="module"/> as <c>to(…)</c> moved this one.</summary>
    protected internal static void MoveAlong(nn.Module module, ScalarType? dtype, Device? device, bool nonBlocking)
    {
        if (dtype is { } type && device is not null) module.to(device, type, nonBlocking);
        else if (dtype is { } only) module.to(only, nonBlocking);
        else if (device is not null) module.to(device, nonBlocking);
    }

    /// <summary>
    /// Sets a parameter property: registers <paramref name="value"/> under <paramref name="name"/> and disposes the one it
    /// replaces. TorchSharp's <c>to(…)</c> assigns a moved parameter through the public property of the same name, so
    /// every registered parameter needs a setter that calls this.
    /// </summary>
    protected Parameter SetParameter(string name, Parameter? current, Parameter value)
    {
        ConditionallyRegisterParameter(name, value);
        if (current is not null && !ReferenceEquals(current, value)) current.Dispose();
        return value;
    }
}

/// <summary>Base of two-input modules whose components are registered explicitly (no reflection).</summary>
public abstract class DslModule<TInput1, TInput2, TResult> : nn.Module<TInput1, TInput2, TResult>
{
    /// <summary>Creates the module.</summary>
    protected DslModule(string name) : base(name) { }

    /// <inheritdoc/>
    protected override void RegisterComponents() { }
}

/// <summary>Base of three-input modules whose components are registered explicitly (no reflection).</summary>
public abstract class DslModule<TInput1, TInput2, TInput3, TResult> : nn.Module<TInput1, TInput2, TInput3, TResult>
{
    /// <summary>Creates the module.</summary>
    protected DslModule(string name) : base(name) { }

    /// <inheritdoc/>
    protected override void RegisterComponents() { }
}
