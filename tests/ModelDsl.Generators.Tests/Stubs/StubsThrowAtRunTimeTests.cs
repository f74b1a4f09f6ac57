using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.Stubs;

/// <summary>
/// The generated half of an invalid declaration compiles so that a build shows only the MDSL error; run anyway, its
/// members throw <see cref="InvalidDeclarationException"/> naming that error. Each case compiles the declaration and a
/// usage with the generator, loads the assembly and calls the usage.
/// </summary>
public sealed class StubsThrowAtRunTimeTests
{
    const string Small = """
        using ModelDsl;
        [Gpt2(Layers = 1, Dim = 32, Heads = 4, Vocab = 64, Context = 16)]
        public partial class Small;

        """;

    [Theory]
    // A family declaration: the heads do not divide the width.
    [InlineData("MDSL008", """
        using ModelDsl;
        [Gpt2(Dim = 30, Heads = 4)]
        public partial class Odd;
        public static class Use { public static object Run() => new Odd(); }
        """)]
    [InlineData("MDSL008", """
        using ModelDsl;
        [Gpt2(Dim = 30, Heads = 4)]
        public partial class Odd;
        public static class Use { public static object Run() => Odd.Declared; }
        """)]
    // A setup: the rank exceeds the 32-wide model (the constructor throws before it looks at the model).
    [InlineData("MDSL101", Small + """
        [FineTune<Small>, LoRA(64)]
        public partial class BigRank;
        public static class Use { public static object Run() => new BigRank(null!); }
        """)]
    // A client: a placeholder that names no parameter.
    [InlineData("MDSL200", Small + """
        [InferenceClient<Small>]
        public partial class Client
        {
            [Prompt("Q: {questoin}\nA:")] public partial string Ask(string question);
        }
        public static class Use { public static object Run() => new Client(null!, null!); }
        """)]
    public void Running_the_stub_of_an_invalid_declaration_throws_its_diagnostic(string id, string source)
    {
        var (result, output) = GeneratorHarness.Run(source);
        // The declaration is invalid, and yet the generated half and the usage compile.
        Assert.Contains(result.GeneratedTrees, tree => tree.GetText().ToString().Contains($"\"{id}\"", StringComparison.Ordinal));
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var context = new AssemblyLoadContext("stub-" + id, isCollectible: true);
        try
        {
            var run = Load(output, context).GetType("Use")!.GetMethod("Run")!;
            var thrown = Assert.Throws<TargetInvocationException>(() => run.Invoke(null, null));
            var exception = Assert.IsType<InvalidDeclarationException>(thrown.InnerException);
            Assert.Equal(id, exception.DiagnosticId);
            Assert.StartsWith(id + ": ", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            context.Unload();
        }
    }

    // The runtime, TorchSharp and the rest resolve to the test's own copies (the context falls back to the default one),
    // so the exception type is the one this test asserts on.
    static Assembly Load(Compilation compilation, AssemblyLoadContext context)
    {
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return context.LoadFromStream(image);
    }
}
