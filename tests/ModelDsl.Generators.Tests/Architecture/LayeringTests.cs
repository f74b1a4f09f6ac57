using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Xunit;

namespace ModelDsl.Generators.Tests.Architecture;

/// <summary>
/// Which part of the source may use which (DESIGN.md, "Which way the arrows point"), checked on every file under
/// <c>src/</c>. C# needs a <c>using</c> directive or a qualified name to reach a type of another namespace (there are
/// no global usings: ImplicitUsings is off), so reading both from the syntax finds every dependency.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>The runtime's folders, each allowed to use only those before it.</summary>
    static readonly string[] RuntimeOrder =
        ["Layers", "Models", "Peft", "IO", "Tokenization", "Chat", "Data", "Training", "Generation", "Clients", "CommandLine"];

    /// <summary>Namespaces of the rules shared by the generator and the runtime (linked by source).</summary>
    static readonly string[] SharedNamespaces = ["ModelDsl.Shared", "ModelDsl.Families", "ModelDsl.Targeting", "ModelDsl.Templates"];

    [Fact]
    public void Every_file_uses_only_what_its_layer_may_use()
    {
        var violations = SourceFiles().SelectMany(f => Violations(f.Area, f.Path, f.References)).ToList();
        Assert.True(violations.Count == 0, "Layering violations:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Every_runtime_file_declares_the_namespace_of_its_folder()
    {
        // The layer rules read a file's layer from its folder and its references from namespaces; they agree only while
        // each file's namespace is its folder's.
        var wrong = SourceFiles().Where(f => f.Area.StartsWith("Runtime/", StringComparison.Ordinal) && f.Area != "Runtime/(root)")
            .Where(f => f.Namespaces.Any(ns => ns != "ModelDsl." + f.Area["Runtime/".Length..] && !ns.StartsWith("ModelDsl." + f.Area["Runtime/".Length..] + ".", StringComparison.Ordinal)))
            .Select(f => $"{f.Path}: namespace {string.Join(", ", f.Namespaces)}").ToList();
        Assert.True(wrong.Count == 0, "Files outside their folder's namespace:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void No_source_file_declares_a_global_using()
    {
        // A global using reaches every file of its project without showing in them, so the per-file check would miss it.
        var global = SourceFiles().Where(f => f.HasGlobalUsing).Select(f => f.Path).ToList();
        Assert.True(global.Count == 0, "Global usings:\n" + string.Join("\n", global));
    }

    [Fact]
    public void The_rules_catch_a_forbidden_dependency()
    {
        // The checker itself: a client that reaches into training, a model that reads JSON, a generator that uses TorchSharp.
        Assert.NotEmpty(Violations("Runtime/Clients", "x.cs", References("using ModelDsl.Training; namespace ModelDsl.Clients; class C {}")));
        Assert.NotEmpty(Violations("Runtime/Models", "x.cs", References("namespace ModelDsl.Models; class C { System.Text.Json.JsonDocument? d; }")));
        Assert.NotEmpty(Violations("Generators", "x.cs", References("namespace ModelDsl.Generators; class C { global::TorchSharp.torch.Tensor? t; }")));
        Assert.NotEmpty(Violations("Dsl", "x.cs", References("using ModelDsl.Layers; namespace ModelDsl; class C {}")));
        // A name relative to the enclosing ModelDsl namespace reaches the same layer as its full name.
        Assert.NotEmpty(Violations("Runtime/Layers", "x.cs", References("namespace ModelDsl.Layers; class C { Training.Trainer? t; }")));
        Assert.NotEmpty(Violations("Runtime/Generation", "x.cs", References("namespace ModelDsl.Generation; class C { object O => Training.TrainerOptions.Default; }")));
        Assert.Empty(Violations("Runtime/Clients", "x.cs", References("using ModelDsl.Generation; using ModelDsl.Models; namespace ModelDsl.Clients; class C {}")));
    }

    static IEnumerable<string> Violations(string area, string path, IReadOnlyCollection<string> references)
    {
        foreach (var reference in references)
            if (Forbidden(area, reference) is { } why)
                yield return $"{path}: uses {reference} — {why}";
    }

    static string? Forbidden(string area, string reference)
    {
        bool Is(string ns) => reference == ns || reference.StartsWith(ns + ".", StringComparison.Ordinal);
        bool IsShared = SharedNamespaces.Any(Is);
        switch (area)
        {
            case "Shared":
                return Is("ModelDsl") && !IsShared ? "shared rules depend on nothing but the BCL" : Is("Microsoft") || Is("TorchSharp") ? "shared rules depend on nothing but the BCL" : null;
            case "Dsl":
                return (Is("ModelDsl") && !IsShared && reference != "ModelDsl") || Is("TorchSharp") || Is("Microsoft") ? "the attributes depend on nothing" : null;
            case "Generators":
            case "CodeFixes":
                if (Is("TorchSharp")) return "the generator never uses TorchSharp";
                if (Is("ModelDsl") && !Is("ModelDsl.Generators") && !IsShared && reference != "ModelDsl") return "the generator never uses the runtime";
                return null;
        }
        if (!area.StartsWith("Runtime/", StringComparison.Ordinal)) return null;
        var folder = area["Runtime/".Length..];
        if (Is("Microsoft.CodeAnalysis")) return "the runtime never uses Roslyn";
        if (folder is "Models" && (Is("System.Text.Json") || Is("System.IO") || Is("Parquet")))
            return "Models read no file formats (that is IO's job)";
        if (folder is "Generation" or "Clients" && Is("ModelDsl.Training")) return "generation and clients never use training";
        int mine = Array.IndexOf(RuntimeOrder, folder);
        if (mine < 0) return null;
        for (int other = mine + 1; other < RuntimeOrder.Length; other++)
            if (Is("ModelDsl." + RuntimeOrder[other]))
                return $"{folder} comes before {RuntimeOrder[other]} in the layering";
        if (mine < Array.IndexOf(RuntimeOrder, "Tokenization") && Is("Microsoft.ML.Tokenizers"))
            return $"{folder} comes before Tokenization in the layering";
        return null;
    }

    sealed record SourceFile(string Area, string Path, IReadOnlyCollection<string> References, IReadOnlyList<string> Namespaces, bool HasGlobalUsing);

    static IEnumerable<SourceFile> SourceFiles()
    {
        var src = Path.Combine(Support.RepositoryRoot.Path, "src");
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(src, file).Replace('\\', '/');
            if (relative.Contains("/bin/") || relative.Contains("/obj/")) continue;
            var text = File.ReadAllText(file);
            var root = CSharpSyntaxTree.ParseText(text).GetCompilationUnitRoot();
            yield return new SourceFile(AreaOf(relative), relative, References(text),
                root.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Select(n => n.Name.ToString()).ToList(),
                root.Usings.Any(u => u.GlobalKeyword.IsKind(SyntaxKind.GlobalKeyword)));
        }
    }

    static string AreaOf(string relative)
    {
        var parts = relative.Split('/');
        return parts[0] switch
        {
            "Runtime" when parts.Length > 2 => "Runtime/" + parts[1],
            "Runtime" => "Runtime/(root)",
            "Generators" when parts.Length > 2 && parts[1] == "Shared" => "Shared",
            _ => parts[0],
        };
    }

    /// <summary>Every namespace or type name a file reaches outside itself: using directives and qualified names.</summary>
    static IReadOnlyCollection<string> References(string source)
    {
        var root = CSharpSyntaxTree.ParseText(source).GetCompilationUnitRoot();
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directive in root.DescendantNodes().OfType<UsingDirectiveSyntax>())
            found.Add(Strip(directive.NamespaceOrType.ToString()));
        foreach (var name in root.DescendantNodes().OfType<QualifiedNameSyntax>().Where(n => n.Parent is not QualifiedNameSyntax))
            if (name.Parent is not (BaseNamespaceDeclarationSyntax or UsingDirectiveSyntax)) found.Add(Strip(name.ToString()));
        foreach (var access in root.DescendantNodes().OfType<MemberAccessExpressionSyntax>().Where(a => a.Parent is not MemberAccessExpressionSyntax))
            found.Add(Strip(access.ToString()));
        // Inside namespace ModelDsl.X, "Training.Trainer" means ModelDsl.Training.Trainer.
        foreach (var name in found.ToList())
            if (RuntimeOrder.Contains(name.Split('.')[0])) found.Add("ModelDsl." + name);
        return found;
    }

    static string Strip(string name) => name.Replace("global::", "").Replace(" ", "");
}
