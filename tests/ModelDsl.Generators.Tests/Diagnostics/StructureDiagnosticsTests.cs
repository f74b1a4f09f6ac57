using System.Threading.Tasks;
using ModelDsl.Generators.Tests.Support;
using Xunit;
using static ModelDsl.Generators.Tests.Support.AnalyzerVerifier;

namespace ModelDsl.Generators.Tests.Diagnostics;

/// <summary>MDSL001–019: the shape of a [Model] or [Module] class and its layer attributes.</summary>
public class StructureDiagnosticsTests
{
    const string Usings = """
        using ModelDsl;
        using ModelDsl.Layers;

        """;

    // A class with partial members that cannot take a generated part stops C# (CS0751, CS9248) before any analyzer runs,
    // so the generator reports these itself — and the analyzer does not, so the IDE shows each once.

    [Fact]
    public Task ClassNotPartial() => GeneratorReported.AssertAsync(Usings + """
        [Model]
        public class Net
        {
            [Linear(4, 4)] public partial Linear Head { get; }
        }
        """,
        "MDSL001", "'Net' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it.", "Net");

    [Fact]
    public Task ContainerNotPartial() => GeneratorReported.AssertAsync(Usings + """
        public static class Outer
        {
            [Model]
            public partial class Net
            {
                [Linear(4, 4)] public partial Linear Head { get; }
            }
        }
        """,
        "MDSL001", "'Net' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it.", "Net");

    [Fact]
    public Task GenericClass() => GeneratorReported.AssertAsync(Usings + """
        [Model]
        public partial class Net<T>
        {
            [Linear(4, 4)] public partial Linear Head { get; }
        }
        """,
        "MDSL002", "'Net' must not be generic or nested in a generic type; ModelDsl generates concrete modules.", "Net");

    [Fact]
    public Task ClassNotPartialWithoutPartialMembersIsTheAnalyzers() => VerifyAsync(Usings + """
        [Gpt2(Layers = 1, Dim = 8, Heads = 2, Vocab = 16, Context = 8)]
        public class {|#0:Net|};
        """,
        Diagnostic("MDSL001").WithLocation(0)
            .WithMessage("'Net' must be declared 'partial' (and so must every type that contains it) so that ModelDsl can generate the rest of it."));


    [Fact]
    public Task DeclaredBaseClass() => VerifyAsync(Usings + """
        public class Base { }

        [Model]
        public partial class {|#0:Net|} : Base
        {
            [Linear(4, 4)] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL003").WithLocation(0)
            .WithMessage("'Net' must not declare a base class; the generated part supplies it."));

    [Fact]
    public Task DeclaredConstructor() => VerifyAsync(Usings + """
        [Model]
        public partial class {|#0:Net|}
        {
            public Net() { }
            [Linear(4, 4)] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL004").WithLocation(0)
            .WithMessage("'Net' must not declare a constructor; the generated constructor builds and registers the layers."));

    [Fact]
    public Task MemberOfWrongType() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear(4, 4)] public partial Embedding {|#0:Head|} { get; }
        }
        """,
        Diagnostic("MDSL005").WithLocation(0)
            .WithMessage("'Head' must be declared as 'ModelDsl.Layers.Linear' to hold this layer, not 'ModelDsl.Layers.Embedding'."));

    [Fact]
    public Task PropertyWithSetter() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear(4, 4)] public Linear {|#0:Head|} { get; set; }
        }
        """,
        Diagnostic("MDSL006").WithLocation(0)
            .WithMessage("'Head' must be declared 'partial' with only 'get;' so that the generator can implement it."));

    [Fact]
    public Task LayerSizeZero() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear({|#0:0|}, 4)] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL007").WithLocation(0).WithMessage("'inFeatures' of 'Head' is 0; sizes must be at least 1."));

    [Fact]
    public Task AttentionHeadsDoNotDivideWidth() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [CausalSelfAttention(64, {|#0:5|})] public partial CausalSelfAttention Attn { get; }
        }
        """,
        Diagnostic("MDSL008").WithLocation(0).WithMessage("heads = 5 of 'Attn' must divide dim = 64; try 4."));

    [Fact]
    public Task KvHeadsDoNotDivideHeads() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [CausalSelfAttention(64, 4, {|#0:KvHeads = 3|})] public partial CausalSelfAttention Attn { get; }
        }
        """,
        Diagnostic("MDSL009").WithLocation(0).WithMessage("KvHeads = 3 of 'Attn' must divide heads = 4; try 2."));

    [Fact]
    public Task DeclaredModelTooLarge() => VerifyAsync(Usings + """
        [Model]
        public partial class {|#0:Net|}
        {
            [Mlp(int.MaxValue, int.MaxValue)] public partial Mlp First { get; }
            [Mlp(int.MaxValue, int.MaxValue)] public partial Mlp Second { get; }
        }
        """,
        // Each MLP has 2m² + 2m parameters (m = 2³¹ − 1); together 4m(m + 1) = 2⁶⁴ − 2³³, past a long.
        Diagnostic("MDSL020").WithLocation(0).WithMessage(
            "The layers of 'Net' would need 1.845E+019 parameters (73786976.3 TB in fp32), over the 1 TB limit; check their sizes for a typo."));

    [Fact]
    public Task DropoutOfOne() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Dropout({|#0:1.0|})] public partial Dropout Drop { get; }
        }
        """,
        Diagnostic("MDSL010").WithLocation(0).WithMessage("Dropout probability 1 on 'Drop' must be in [0, 1)."));

    const string Block = """

        [Module]
        public partial class Block
        {
            [Linear(4, 4)] public partial Linear Proj { get; }
        }
        """;

    [Fact]
    public Task RepeatZeroTimes() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Repeat({|#0:0|})] public partial ModuleList<Block> H { get; }
        }
        """ + Block,
        Diagnostic("MDSL011").WithLocation(0).WithMessage("[Repeat(0)] on 'H' must repeat its block at least once."));

    [Fact]
    public Task RepeatMoreThanLaidOut() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Repeat({|#0:100000|})] public partial ModuleList<Block> H { get; }
        }
        """ + Block,
        Diagnostic("MDSL011").WithLocation(0)
            .WithMessage("[Repeat(100000)] on 'H' repeats its block more than 1024 times; ModelDsl lays out at most 1024 blocks."));

    [Fact]
    public Task RepeatOfAClassThatIsNotAModule() => GeneratorReported.AssertAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Repeat(2)] public partial ModuleList<Plain> H { get; }
        }

        public partial class Plain : TorchSharp.torch.nn.Module
        {
            public Plain() : base("plain") { }
        }
        """,
        // When the repeated type is not a module at all, C# stops at CS0311 before analyzers run: the generator reports it.
        "MDSL012", "'H' repeats 'Plain', which is not a [Module] class; declare it as ModuleList<TBlock> of a partial class marked [Module].", "Repeat(2)");

    [Fact]
    public Task TiedToUnknownMember() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear(16, 100, {|#0:TiedTo = "Missing"|})] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL013").WithLocation(0)
            .WithMessage("TiedTo = \"Missing\" on 'Head' must name an [Embedding] member of 'Net' (use nameof)."));

    [Fact]
    public Task TiedShapesDiffer() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Embedding(100, 16)] public partial Embedding Embed { get; }
            [Linear(16, 50, {|#0:TiedTo = nameof(Embed)|})] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL014").WithLocation(0)
            .WithMessage("'Head' [Linear(16, 50)] cannot share the weight of 'Embed' [Embedding(100, 16)]: a tied head needs Linear(16, 100)."));

    [Fact]
    public Task TwoLayersWithOneName() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear(4, 4, Name = "proj")] public partial Linear First { get; }
            [Linear(4, 4, {|#0:Name = "proj"|})] public partial Linear Second { get; }
        }
        """,
        Diagnostic("MDSL015").WithLocation(0)
            .WithMessage("Two layers are named 'proj'; give 'Second' a different Name so that every state-dict key is unique."));

    [Fact]
    public Task NonConstantLayerArgument() => GeneratorReported.AssertAsync(Usings + """
        [Model]
        public partial class Net
        {
            static int Width = 4;
            [Linear(Width, 4)] public partial Linear Head { get; }
        }
        """,
        // C# stops at CS0182 (not a constant) before analyzers run: the generator reports it.
        "MDSL016", "The arguments of [Linear] on 'Head' must be compile-time constants of the declared types.", "Linear(Width, 4)");

    [Fact]
    public Task StateNameWithDot() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [Linear(4, 4, {|#0:Name = "attn.proj"|})] public partial Linear Head { get; }
        }
        """,
        Diagnostic("MDSL017").WithLocation(0)
            .WithMessage("The state-dict name 'attn.proj' of 'Head' must be non-empty and contain no '.'."));

    [Fact]
    public Task BlockRepeatsItself() => VerifyAsync(Usings + """
        [Module]
        public partial class Block
        {
            [{|#0:Repeat(2)|}] public partial ModuleList<Block> Inner { get; }
        }
        """,
        Diagnostic("MDSL018").WithLocation(0)
            .WithMessage("'Inner' repeats 'Block', which contains 'Block' again; blocks cannot contain themselves."));

    [Fact]
    public Task NormEpsilonZero() => VerifyAsync(Usings + """
        [Model]
        public partial class Net
        {
            [LayerNorm(16, {|#0:Eps = 0|})] public partial LayerNorm Norm { get; }
        }
        """,
        Diagnostic("MDSL019").WithLocation(0).WithMessage("Eps 0 on 'Norm' must be greater than 0."));

    [Fact]
    public Task ValidModelHasNoDiagnostics() => VerifyAsync(Support.Declarations.TinyGpt);

    [Fact]
    public Task ValidNestedClassifierHasNoDiagnostics() => VerifyAsync(Support.Declarations.Classifier);
}
