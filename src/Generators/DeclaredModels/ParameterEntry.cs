using ModelDsl.Generators.Specs;

namespace ModelDsl.Generators.DeclaredModels;

/// <summary>One parameter a declaration will create: its state-dict name, shape, and how code reaches it.</summary>
/// <param name="AccessPath">A C# expression relative to the model (e.g. <c>H[0].Attn.c_attn.bias</c>).</param>
/// <param name="IsReachable">Every member on the path is accessible from another class of the assembly.</param>
internal sealed record ParameterEntry(string Name, EquatableArray<long> Shape, string AccessPath, bool IsBias, bool IsReachable)
{
    public long ElementCount
    {
        get
        {
            long product = 1;
            foreach (var size in Shape) product *= size;
            return product;
        }
    }
}
