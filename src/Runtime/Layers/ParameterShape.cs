using System.Collections.Generic;
using System.Linq;

namespace ModelDsl.Layers;

/// <summary>The state-dict name and shape of one parameter, as listed by a generated model's <c>ParameterShapes</c>.</summary>
/// <param name="Name">Full state-dict name, e.g. <c>transformer.h.0.attn.c_attn.weight</c>.</param>
/// <param name="Shape">The tensor's shape.</param>
public sealed record ParameterShape(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (product, size) => product * size);

    /// <summary>The <c>name [d0, d1]</c> line used in listings and snapshots.</summary>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
