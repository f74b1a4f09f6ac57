using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Specs;
using ModelDsl.Generators.Common;
using ModelDsl.Generators.DeclaredModels;

namespace ModelDsl.Generators.Setups;

/// <summary>Finds, from a model's symbol, the <c>[Module]</c> blocks it repeats (and the blocks they repeat).</summary>
internal static class BlockCollector
{
    const int MaxBlockNesting = 16;

    // The [Module] classes a model repeats, found through the type arguments of its [Repeat] members.
    public static ModuleCatalog Collect(INamedTypeSymbol model, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ClassSpec>();
        var pending = new Stack<(INamedTypeSymbol Type, int Depth)>();
        pending.Push((model, 0));
        while (pending.Count > 0)
        {
            var (type, depth) = pending.Pop();
            if (depth > MaxBlockNesting) continue;
            foreach (var member in type.GetMembers())
            {
                var memberType = member switch { IPropertySymbol p => p.Type, IFieldSymbol f => f.Type, _ => null };
                if (memberType is not INamedTypeSymbol { TypeArguments.Length: 1 } list) continue;
                if (list.TypeArguments[0] is not INamedTypeSymbol block) continue;
                if (!block.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == KnownNames.ModuleAttribute)) continue;
                var name = TypeParser.FullName(block);
                if (found.ContainsKey(name)) continue;
                found[name] = ModelParser.ParseClass(block, ClassRole.Module, cancellationToken);
                pending.Push((block, depth + 1));
            }
        }
        return new ModuleCatalog(found.Values.OrderBy(s => s.Type.FullyQualifiedName, System.StringComparer.Ordinal).ToEquatableArray());
    }

}
