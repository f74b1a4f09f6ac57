using TorchSharp;
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
