using System.Linq;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Tests.Support;
using Xunit;

namespace ModelDsl.Generators.Tests.DeclaredModels;

/// <summary>Which declared models get the gradient-checkpointing switch, and that what they get compiles.</summary>
public sealed class GradientCheckpointingEmitTests
{
    const string Sources = """
        using ModelDsl;
        using ModelDsl.Layers;
        using static TorchSharp.torch;

        namespace Demo;

        [Model]
        public partial class Masked
        {
            [Embedding(10, 8)] public partial Embedding Wte { get; }
            [Repeat(2)] public partial ModuleList<MaskedBlock> H { get; }
            public Tensor Forward(Tensor ids) { var x = Wte.call(ids); foreach (var b in H) x = b.call(x, null); return x; }
        }

        [Module]
        public partial class MaskedBlock
        {
            [Linear(8, 8)] public partial Linear Proj { get; }
            public Tensor Forward(Tensor x, Tensor? mask) => Proj.call(x);
        }

        [Model]
        public partial class Stepped
        {
            [Embedding(10, 8)] public partial Embedding Wte { get; }
            [Repeat(2)] public partial ModuleList<SteppedBlock> H { get; }
            public Tensor Forward(Tensor ids) { var x = Wte.call(ids); foreach (var b in H) x = b.call(x, 1L); return x; }
        }

        [Module]
        public partial class SteppedBlock
        {
            [Linear(8, 8)] public partial Linear Proj { get; }
            public Tensor Forward(Tensor x, long step) => Proj.call(x);
        }

        [Model]
        public partial class Broken
        {
            [Linear(0, 8)] public partial Linear Proj { get; }
            [Repeat(2)] public partial ModuleList<MaskedBlock> H { get; }
            public Tensor Forward(Tensor x) { foreach (var b in H) x = b.call(x, null); return Proj.call(x); }
        }

        public static class Usage
        {
            public static void Checkpoint(Broken model) => model.GradientCheckpointing = true;
        }

        [Model]
        public partial class Flat
        {
            [Linear(8, 8)] public partial Linear Proj { get; }
            public Tensor Forward(Tensor x) => Proj.call(x);
        }
        """;

    static readonly (GeneratorDriverRunResult Result, Compilation Output) Run = GeneratorHarness.Run(Sources);

    static string Generated(string type) => GeneratorHarness.GeneratedText(Run.Result, type);

    [Fact]
    public void What_is_generated_compiles()
    {
        Assert.Empty(Run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void A_block_whose_forward_takes_tensors_replays_its_forward_with_the_others_as_constants()
    {
        var block = Generated("MaskedBlock");
        Assert.Contains("public bool GradientCheckpointing { get; set; }", block);
        Assert.Contains("GradientCheckpoint.Run((input, constants) => Forward(input, constants[0]), x, mask)", block);
        var model = Generated("Masked");
        Assert.Contains("IGradientCheckpointing", model);
        Assert.Contains("foreach (var block in __h) block.GradientCheckpointing = value;", model);
    }

    [Fact]
    public void An_invalid_models_stub_keeps_the_switch_so_code_using_it_compiles()
    {
        var stub = Generated("Broken");
        Assert.Contains("the declaration is invalid", stub);
        Assert.Contains("IGradientCheckpointing", stub);
        Assert.Contains("public bool GradientCheckpointing { get; set; }", stub);
    }

    [Fact]
    public void A_block_with_a_non_tensor_input_and_a_model_without_repeats_get_no_switch()
    {
        Assert.DoesNotContain("GradientCheckpointing", Generated("SteppedBlock"));
        Assert.DoesNotContain("GradientCheckpointing", Generated("Stepped"));
        Assert.DoesNotContain("GradientCheckpointing", Generated("Flat"));
    }
}
