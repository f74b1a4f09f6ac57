using System;
using System.Linq;

namespace ModelDsl.Generators.Specs;

/// <summary>Every <c>[Module]</c> class of the compilation, so models can resolve the blocks they repeat.</summary>
internal sealed record ModuleCatalog(EquatableArray<ClassSpec> Modules)
{
    public static ModuleCatalog Empty { get; } = new(EquatableArray<ClassSpec>.Empty);

    public ClassSpec? Find(string fullyQualifiedName) =>
        Modules.FirstOrDefault(m => string.Equals(m.Type.FullyQualifiedName, fullyQualifiedName, StringComparison.Ordinal));
}
