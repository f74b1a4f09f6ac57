using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Layout;

/// <summary>One parameter a declaration will create: its state-dict name and shape.</summary>
internal sealed record ParameterEntry(string Name, EquatableArray<long> Shape)
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
