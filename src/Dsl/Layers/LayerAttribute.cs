using System;

namespace ModelDsl;

/// <summary>
/// Common base of the layer attributes. A layer attribute goes on a <c>partial</c> property (or a field)
/// of a <see cref="ModelAttribute"/> or <see cref="ModuleAttribute"/> class; the generator creates the
/// layer and registers it.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field, Inherited = false, AllowMultiple = false)]
public abstract class LayerAttribute : Attribute
{
    /// <summary>
    /// The state-dict name of the layer. Defaults to the member name in snake_case
    /// (<c>TokenEmbedding</c> → <c>token_embedding</c>). Set it to match a checkpoint key for key,
    /// e.g. <c>Name = "c_attn"</c>.
    /// </summary>
    public string? Name { get; set; }
}
