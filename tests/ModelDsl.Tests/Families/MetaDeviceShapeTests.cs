using System.Linq;
using ApprovalTests;
using ApprovalTests.Reporters;
using ModelDsl.Layers;
using ModelDsl.Models;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Families;

/// <summary>Full-size models built on the meta device (shapes only, no memory): published counts and key listings.</summary>
[UseReporter(typeof(QuietReporter))]
public sealed class MetaDeviceShapeTests
{
    static readonly Gpt2Config Gpt2Small = new(12, 768, 12, 50257, 1024);
    static readonly LlamaConfig Llama2_7B = new(32, 4096, 32, 32, 11008, 32000, 4096);

    [Fact]
    public void Gpt2_small_has_the_published_parameter_count()
    {
        using var model = new Gpt2LMHeadModel(Gpt2Small, device: META);
        Assert.Equal(124_439_808L, model.CountParameters());
        Assert.Equal(124_439_808L, Gpt2Small.ParameterCount);
    }

    [Fact]
    public void Llama2_7B_has_the_published_parameter_count()
    {
        using var model = new LlamaForCausalLM(Llama2_7B, device: META);
        Assert.Equal(6_738_415_616L, model.CountParameters());
        Assert.Equal(6_738_415_616L, Llama2_7B.ParameterCount);
    }

    [Fact]
    public void Gpt2_small_parameter_listing()
    {
        using var model = new Gpt2LMHeadModel(Gpt2Small, device: META);
        Approvals.Verify(string.Join("\n", model.ListParameterShapes().Select(p => p.ToString())));
    }

    [Fact]
    public void Llama2_7B_parameter_listing()
    {
        using var model = new LlamaForCausalLM(Llama2_7B, device: META);
        Approvals.Verify(string.Join("\n", model.ListParameterShapes().Select(p => p.ToString())));
    }

    [Fact]
    public void Tied_llama_counts_the_embedding_once()
    {
        var tied = Llama2_7B with { TieEmbeddings = true };
        using var model = new LlamaForCausalLM(tied, device: META);
        Assert.Equal(6_738_415_616L - 32000L * 4096, model.CountParameters());
        Assert.DoesNotContain(model.ListParameterShapes(), p => p.Name.StartsWith("lm_head"));
    }
}
