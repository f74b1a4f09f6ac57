using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ModelDsl.Layers;
using ModelDsl.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.IO;

/// <summary>
/// Strict loading and saving of a model's state dict in Hugging Face's layout (<c>config.json</c> +
/// <c>model.safetensors</c>). Everything is checked from the files' headers before any weight is copied, so a
/// mismatch (keys, shapes, dtypes, a differing tied copy) leaves the model untouched.
/// </summary>
internal static class PretrainedWeights
{
    public const string ConfigFile = "config.json";
    const int ListedKeys = 20;

    static readonly HashSet<ScalarType> FloatTypes = [ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Float64];

    /// <summary>Copies every weight of <paramref name="directory"/> into <paramref name="model"/>.</summary>
    public static void Load(nn.Module model, string directory, CheckpointKeyMap keys)
    {
        RequireConfigSavedWithWeights(directory);
        RequireFloatWeights(model, "load weights into this model",
            "Load the pretrained weights into the float model first, then build the [Quantize] setup over it (it quantizes the weights it finds).");
        var expected = model.BaseStateDict();
        var (found, tiedCopies) = MatchKeys(model, directory, keys, expected);
        CheckShapesAndTypes(model, directory, expected, found);
        CheckTiedCopies(found, tiedCopies);
        CopyWeights(expected, found);
    }

    // Pairs every file key with a state-dict key from the headers alone; reports missing and unexpected keys together.
    static (Dictionary<string, StoredTensor> Found, List<(StoredTensor Copy, string ModelKey)> TiedCopies) MatchKeys(
        nn.Module model, string directory, CheckpointKeyMap keys, Dictionary<string, Tensor> expected)
    {
        var found = new Dictionary<string, StoredTensor>(StringComparer.Ordinal);
        var tiedCopies = new List<(StoredTensor, string)>();
        var unexpected = new List<string>();
        foreach (var (file, indexedKeys) in WeightFiles.Resolve(directory))
        {
            var entries = SafetensorsFile.ReadEntries(file);
            if (indexedKeys is not null)
            {
                var missingFromShard = indexedKeys.Except(entries.Select(e => e.Name)).ToList();
                if (missingFromShard.Count > 0)
                    throw new CheckpointMismatchException(
                        $"The shard index lists {List(missingFromShard)} in '{file}', but that file does not contain them.");
            }
            foreach (var entry in entries)
            {
                if (keys.TiedCopies.TryGetValue(entry.Name, out var sharedKey))
                {
                    tiedCopies.Add((new StoredTensor(file, entry), sharedKey));
                    continue;
                }
                var modelKey = keys.ToModelKey(entry.Name);
                if (modelKey is null) continue;
                if (!expected.ContainsKey(modelKey)) { unexpected.Add(entry.Name); continue; }
                if (!found.TryAdd(modelKey, new StoredTensor(file, entry)))
                    throw new CheckpointMismatchException(
                        $"'{directory}' holds two tensors for '{modelKey}' ('{found[modelKey].Entry.Name}' and '{entry.Name}'); keep one.");
            }
        }

        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"missing keys (the model has them, the files do not): {List(missing)}");
            if (unexpected.Count > 0) parts.Add($"unexpected keys (in the files, not in the model): {List(unexpected)}");
            throw new CheckpointMismatchException(
                $"The weights in '{directory}' do not match {model.GetType().Name}: {string.Join("; ", parts)}. "
                + "Check that config.json and the weights come from the same model.");
        }
        return (found, tiedCopies);
    }

    static void CheckShapesAndTypes(nn.Module model, string directory, Dictionary<string, Tensor> expected,
        Dictionary<string, StoredTensor> found)
    {
        var problems = new List<string>();
        foreach (var (key, target) in expected)
        {
            var entry = found[key].Entry;
            if (!entry.Shape.SequenceEqual(target.shape))
                problems.Add($"'{entry.Name}' has shape {Shape(entry.Shape)} in the file but the model's '{key}' is {Shape(target.shape)}");
            else if (FloatTypes.Contains(target.dtype) && !FloatTypes.Contains(entry.Type))
                problems.Add($"'{entry.Name}' is stored as {entry.Type}, which cannot load into the floating-point '{key}'");
        }
        if (problems.Count > 0)
            throw new CheckpointMismatchException($"The weights in '{directory}' do not fit {model.GetType().Name}: {string.Join("; ", problems)}.");
    }

    // A file may store a tied weight twice (older exports do); the copy must then equal the weight it is tied to.
    static void CheckTiedCopies(Dictionary<string, StoredTensor> found, List<(StoredTensor Copy, string ModelKey)> tiedCopies)
    {
        foreach (var (copy, modelKey) in tiedCopies)
        {
            var shared = found[modelKey];
            using var copyContent = SafetensorsFile.Read(copy.File, device: null, name => name == copy.Entry.Name);
            using var sharedContent = SafetensorsFile.Read(shared.File, device: null, name => name == shared.Entry.Name);
            var copyTensor = copyContent.Tensors[copy.Entry.Name];
            var sharedTensor = sharedContent.Tensors[shared.Entry.Name];
            if (!copyTensor.shape.SequenceEqual(sharedTensor.shape) || !SameValues(copyTensor, sharedTensor))
                throw new CheckpointMismatchException(
                    $"'{copy.File}' stores '{copy.Entry.Name}', which this model ties to '{modelKey}', but the two differ; "
                    + "the checkpoint was saved with untied weights, so load it into a model configured without tying.");
        }
    }

    static void CopyWeights(Dictionary<string, Tensor> expected, Dictionary<string, StoredTensor> found)
    {
        using var _ = no_grad();
        foreach (var group in found.GroupBy(kv => kv.Value.File))
        {
            var wanted = group.Select(kv => kv.Value.Entry.Name).ToHashSet(StringComparer.Ordinal);
            using var content = SafetensorsFile.Read(group.Key, device: null, wanted.Contains);
            foreach (var (modelKey, stored) in group)
            {
                var target = expected[modelKey];
                using var converted = content.Tensors[stored.Entry.Name].to(target.dtype, target.device);
                target.copy_(converted);
            }
        }
    }

    static bool SameValues(Tensor stored, Tensor shared)
    {
        using var scope = NewDisposeScope();
        return stored.eq(shared.to(stored.dtype)).all().item<bool>();
    }

    /// <summary>Where one tensor is stored.</summary>
    sealed record StoredTensor(string File, SafetensorsEntry Entry);

    /// <summary>
    /// Metadata key holding the SHA-256 of the <c>config.json</c> saved with <c>model.safetensors</c>. Each file is
    /// written atomically, but one after the other: a save cut off between them pairs new weights with an old config
    /// (the same sizes, another dropout or rotary base), so loading checks the pair. Hugging Face ignores the key.
    /// </summary>
    public const string ConfigHashMetadataKey = "modeldsl_config_sha256";

    /// <summary>
    /// Writes <paramref name="configJson"/> and the model's own state dict (no adapter tensors; metadata <c>format: pt</c>
    /// and the config's hash) into a sibling directory that is then swapped in (<see cref="SavedDirectory"/>), so a crash
    /// leaves the old or the new model, never a mix.
    /// </summary>
    public static void Save(nn.Module model, string directory, string configJson)
    {
        RequireFloatWeights(model, "save this model",
            "Writing bitsandbytes' quantized layout is not implemented. Keep the float checkpoint the setup was built from " +
            "(quantizing it again gives the same codes), or save the float model MergeAndUnload() returns.");
        var config = System.Text.Encoding.UTF8.GetBytes(configJson);
        var weights = model.BaseStateDict();
        SavedDirectory.Write(directory, staged =>
        {
            AtomicFile.Write(Path.Combine(staged, ConfigFile), s => s.Write(config));
            SafetensorsFile.Write(Path.Combine(staged, WeightFiles.Single), weights,
                new Dictionary<string, string> { ["format"] = "pt", [ConfigHashMetadataKey] = ContentHash.Sha256(config) });
        });
    }

    // A [Quantize]d setup's base holds codes in place of its block weights: float weights loaded into it would leave the
    // codes stale, and a saved file would lack those weights. Both are refused, naming the layers.
    static void RequireFloatWeights(nn.Module model, string action, string remedy)
    {
        var quantized = model.named_modules().Where(m => m.module is LinearBase { Quantized: not null }).Select(m => m.name + ".weight").ToList();
        if (quantized.Count > 0)
            throw new InvalidOperationException($"Cannot {action}: {List(quantized)} {(quantized.Count == 1 ? "is" : "are")} stored quantized by a [Quantize] setup. {remedy}");
    }

    // Files from elsewhere (Hugging Face, sharded checkpoints) carry no hash and are taken as they are.
    static void RequireConfigSavedWithWeights(string directory)
    {
        var weights = Path.Combine(directory, WeightFiles.Single);
        var config = ConfigPath(directory);
        if (!File.Exists(weights) || !File.Exists(config)) return;
        if (SafetensorsFile.ReadHeaderOnly(weights).Metadata.TryGetValue(ConfigHashMetadataKey, out var saved)
            && saved != ContentHash.Sha256(BoundedFile.ReadAllBytes(config, BoundedFile.JsonConfigBytes,
                length => new ModelConfigException(BoundedFile.TooLarge(config, length, BoundedFile.JsonConfigBytes, "a config.json") + "."))))
            throw new CheckpointMismatchException(
                $"'{config}' is not the config saved with '{weights}' (a save was probably interrupted between the two files); save the model again.");
    }


    /// <summary>Path of the <c>config.json</c> in <paramref name="directory"/>.</summary>
    public static string ConfigPath(string directory) => Path.Combine(directory, ConfigFile);

    /// <summary>Throws when the file's configuration differs from the model's.</summary>
    public static void RequireSameConfig(string directory, List<string> differences)
    {
        if (differences.Count > 0)
            throw new ModelConfigException(
                $"'{ConfigPath(directory)}' does not describe this model: {string.Join("; ", differences)}. "
                + "Build the model from that configuration, or load weights saved from a model of this size.");
    }

    static string List(IReadOnlyCollection<string> keys)
    {
        var shown = string.Join(", ", keys.Take(ListedKeys));
        return keys.Count > ListedKeys ? $"{shown} and {keys.Count - ListedKeys} more" : shown;
    }

    static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
