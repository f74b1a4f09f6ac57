using TorchSharp;

namespace ModelDsl.Peft;

/// <summary>A <see cref="PeftSetup"/> over a base model of a known type, which generated setups derive from.</summary>
/// <typeparam name="TModel">The base model's type.</typeparam>
public abstract class PeftSetup<TModel> : PeftSetup where TModel : torch.nn.Module
{
    /// <summary>Wraps <paramref name="model"/> and freezes it.</summary>
    protected PeftSetup(TModel model, PeftConfig config) : base(model, config) => Model = model;

    /// <summary>The wrapped base model, typed.</summary>
    public TModel Model { get; }

    /// <summary>PEFT's <c>merge_and_unload</c>, typed: the plain base with the active LoRA adapter merged (see <see cref="PeftSetup.MergeAndUnload"/>).</summary>
    public new TModel MergeAndUnload()
    {
        base.MergeAndUnload();
        return Model;
    }
}
