using System;
using System.IO;
using System.Linq;
using ModelDsl.IO;
using ModelDsl.Models;
using ModelDsl.Tests.Families;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.IO;

/// <summary>
/// Saving a model over an existing one writes a complete sibling directory and swaps it in: a save that fails or is
/// cut off at any point leaves the old model loadable, and files of the directory that the save does not write stay.
/// </summary>
public sealed class SavedDirectoryTests
{
    static readonly Gpt2Config ConfigA = new(Layers: 1, Dim: 16, Heads: 2, Vocab: 40, Context: 8);
    static readonly Gpt2Config ConfigB = ConfigA with { NormEps = 1e-6 };

    static Gpt2LMHeadModel Model(Gpt2Config config, int seed)
    {
        manual_seed(seed);
        return new Gpt2LMHeadModel(config);
    }

    static void AssertHolds(string directory, Gpt2LMHeadModel expected)
    {
        using var loaded = new Gpt2LMHeadModel(expected.Config);
        loaded.LoadPretrained(directory);
        var reference = expected.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, parameter) in loaded.named_parameters())
            Assert.True(TensorCompare.Identical(parameter, reference[name]), $"'{name}' is not the expected model's");
    }

    [Fact]
    public void A_save_that_fails_after_its_first_file_leaves_the_old_model_loadable()
    {
        using var dir = new TempDirectory();
        var target = dir.File("model");
        using var a = Model(ConfigA, 1);
        a.SavePretrained(target);
        using var b = Model(ConfigB, 2);
        // A buffer safetensors cannot store: the weights file fails after config.json is written.
        b.register_buffer("unstorable", zeros(1, dtype: ScalarType.ComplexFloat32));

        Assert.Throws<NotSupportedException>(() => b.SavePretrained(target));

        AssertHolds(target, a);
        Assert.Empty(Siblings(target));
    }

    [Fact]
    public void A_crash_between_the_two_renames_of_a_swap_leaves_the_old_model_loadable_and_the_next_save_recovers()
    {
        using var dir = new TempDirectory();
        var target = dir.File("model");
        using var a = Model(ConfigA, 3);
        using var b = Model(ConfigA, 4);
        a.SavePretrained(target);
        SavedDirectory.ForceTwoRenameSwap = true;
        SavedDirectory.OldCopyMovedAside = _ => throw new IOException("simulated crash between the renames");
        try { Assert.Throws<IOException>(() => b.SavePretrained(target)); }
        finally
        {
            SavedDirectory.OldCopyMovedAside = null;
            SavedDirectory.ForceTwoRenameSwap = false;
        }
        Assert.False(Directory.Exists(target));

        AssertHolds(target, a); // found beside the missing directory

        b.SavePretrained(target);
        AssertHolds(target, b);
        Assert.Empty(Siblings(target));
    }

    [Fact]
    public void Saving_over_a_model_keeps_files_the_save_does_not_write()
    {
        using var dir = new TempDirectory();
        var target = dir.File("model");
        using var a = Model(ConfigA, 5);
        using var b = Model(ConfigA, 6);
        a.SavePretrained(target);
        File.WriteAllText(Path.Combine(target, "tokenizer_config.json"), "{}");
        Directory.CreateDirectory(Path.Combine(target, "extra"));
        File.WriteAllText(Path.Combine(target, "extra", "notes.txt"), "kept");

        b.SavePretrained(target);

        AssertHolds(target, b);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(target, "tokenizer_config.json")));
        Assert.Equal("kept", File.ReadAllText(Path.Combine(target, "extra", "notes.txt")));
    }

    static string[] Siblings(string directory) =>
        Directory.GetDirectories(Path.GetDirectoryName(directory)!, "." + Path.GetFileName(directory) + ".*");
}
