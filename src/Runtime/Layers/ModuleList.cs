using TorchSharp;

namespace ModelDsl.Layers;

/// <summary>
/// A list of blocks registered as <c>0</c>, <c>1</c>, … under its own name, the type a
/// <see cref="ModelDsl.RepeatAttribute"/> property declares.
/// </summary>
public sealed class ModuleList<T> : TorchSharp.Modules.ModuleList<T> where T : torch.nn.Module
{
    /// <summary>Creates a list holding <paramref name="blocks"/>.</summary>
    public ModuleList(params T[] blocks) : base(blocks) { }
}
