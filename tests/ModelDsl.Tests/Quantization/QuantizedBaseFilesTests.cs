using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using ModelDsl.IO;
using ModelDsl.Peft;
using ModelDsl.Tests.Families;
using ModelDsl.Tests.IO;
using Xunit;
using static ModelDsl.Tests.Peft.PeftTestHelpers;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Quantization;

/// <summary>
/// Files around a <c>[Quantize]</c>d base: its quantized layers have no float weight, so loading float weights into it
/// (which would leave the codes stale) and saving it (which would write a file without those weights) are refused by
/// name, before anything changes; the float model <c>MergeAndUnload()</c> returns saves and reloads strictly.
/// </summary>
public sealed class QuantizedBaseFilesTests
{
    static GeneratedTinyLlama SeededLlama(int seed)
    {
        manual_seed(seed);
        return new GeneratedTinyLlama();
    }

    static string Fingerprint(string directory) => string.Join(";", Directory.GetFiles(directory).Order(StringComparer.Ordinal)
        .Select(f => Path.GetFileName(f) + "=" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));

    [Fact]
    public void Saving_a_base_that_is_still_quantized_is_refused_by_name_and_leaves_the_saved_copy_as_it_was()
    {
        using var model = SeededLlama(21);
        using var saved = new TempDirectory();
        model.SavePretrained(saved.Path);
        var before = Fingerprint(saved.Path);
        using var setup = new TinyLlamaQLora(model);

        var error = Assert.Throws<InvalidOperationException>(() => model.SavePretrained(saved.Path));
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", error.Message);
        Assert.Contains("MergeAndUnload()", error.Message);
        Assert.Equal(before, Fingerprint(saved.Path));
    }

    [Fact]
    public void Loading_float_weights_into_a_quantized_base_is_refused_and_keeps_the_codes()
    {
        using var other = SeededLlama(22);
        using var file = new TempDirectory();
        other.SavePretrained(file.Path);
        using var model = SeededLlama(23);
        using var setup = new TinyLlamaQLora(model);
        var codes = setup.QuantizedLayers.Select(q => q.Layer.Quantized).ToList();
        using var ids = Ids(4) % 97;
        using var logits = setup.Forward(ids);

        var error = Assert.Throws<InvalidOperationException>(() => model.LoadPretrained(file.Path));
        Assert.Contains("model.layers.1.mlp.down_proj.weight", error.Message);
        Assert.Contains("Load the pretrained weights into the float model first", error.Message);
        Assert.Equal(codes, setup.QuantizedLayers.Select(q => q.Layer.Quantized));
        using var again = setup.Forward(ids);
        AssertBitIdentical(logits, again);
    }

    [Fact]
    public void The_float_model_MergeAndUnload_returns_saves_and_reloads_strictly_with_the_same_logits()
    {
        using var model = SeededLlama(24);
        using var setup = new TinyLlamaQLora(model);
        foreach (var target in setup.LoraTargets) Randomise(target.Layer.ActiveLora!, 0.2);
        using var ids = Ids(5) % 97;
        using var adapted = setup.Forward(ids);
        var merged = setup.MergeAndUnload();
        using var file = new TempDirectory();
        merged.SavePretrained(file.Path);

        using var reloaded = SeededLlama(25);
        reloaded.LoadPretrained(file.Path);
        using var logits = reloaded.Forward(ids);
        using var mergedLogits = merged.Forward(ids);
        AssertBitIdentical(mergedLogits, logits);                                  // the file holds exactly the merged weights
        AssertClose(adapted, logits, 1e-5);                                        // … which compute what the adapted setup did
    }
}
