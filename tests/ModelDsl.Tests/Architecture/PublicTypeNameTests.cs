using System;
using System.Linq;
using System.Reflection;
using Xunit;

namespace ModelDsl.Tests.Architecture;

/// <summary>
/// A public type name means one thing: no two of ModelDsl's public types share a name across namespaces, and none shares
/// one with Microsoft.Extensions.AI, whose types an application using both imports beside ours (a shared name would make
/// every unqualified use ambiguous). Generic types of one name and different arity (<c>PeftSetup</c>, <c>PeftSetup&lt;T&gt;</c>)
/// are different names to C#.
/// </summary>
public sealed class PublicTypeNameTests
{
    static readonly Assembly[] Ours = [typeof(ModelDsl.Peft.PeftSetup).Assembly, typeof(ModelDsl.ModelAttribute).Assembly];

    static readonly Assembly[] ExtensionsAi = [typeof(Microsoft.Extensions.AI.IChatClient).Assembly, typeof(Microsoft.Extensions.AI.ChatClientBuilder).Assembly];

    // The one kept on purpose: the layer mirrors torch.nn.Embedding and the [Embedding] attribute a declared model writes
    // beside it ("[Embedding(100, 32)] public partial Embedding Wte"). Microsoft.Extensions.AI's non-generic Embedding is
    // the abstract base of the Embedding<T> that applications use, which has another arity and does not clash.
    static readonly string[] KeptOnPurpose = ["ModelDsl.Layers.Embedding"];

    [Fact]
    public void No_two_public_types_of_ModelDsl_share_a_name()
    {
        var shared = Ours.SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested)
            .GroupBy(Name).Where(g => g.Count() > 1).Select(g => string.Join(", ", g.Select(t => t.FullName))).ToList();
        Assert.True(shared.Count == 0, "Public types sharing a name:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void No_public_type_of_ModelDsl_shares_a_name_with_Microsoft_Extensions_AI()
    {
        var theirs = ExtensionsAi.SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested).Select(Name).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("ChatMessage", theirs);   // the list is real
        var clashes = Ours.SelectMany(a => a.GetExportedTypes()).Where(t => !t.IsNested && theirs.Contains(Name(t)))
            .Select(t => t.FullName!).Except(KeptOnPurpose).ToList();
        Assert.True(clashes.Count == 0, "Names Microsoft.Extensions.AI also uses:\n" + string.Join("\n", clashes));
    }

    // The CLR name keeps the arity (PeftSetup`1), as C# tells the two apart.
    static string Name(Type type) => type.Name;
}
