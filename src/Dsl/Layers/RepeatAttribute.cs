namespace ModelDsl;

/// <summary>
/// Repeats a <see cref="ModuleAttribute"/> block <c>count</c> times. Put it on a property of type
/// <c>ModelDsl.Layers.ModuleList&lt;TBlock&gt;</c>; the blocks are registered as <c>name.0</c>, <c>name.1</c>, …
/// </summary>
public sealed class RepeatAttribute : LayerAttribute
{
    /// <summary>Declares a stack of blocks.</summary>
    /// <param name="count">Number of blocks (≥ 1).</param>
    public RepeatAttribute(int count) => Count = count;

    /// <summary>Number of blocks.</summary>
    public int Count { get; }
}
