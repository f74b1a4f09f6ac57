using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.Models;

namespace ModelDsl.IO;

/// <summary>
/// Finds the weight files of a pretrained directory: <c>model.safetensors</c>, or the shards listed by
/// <c>model.safetensors.index.json</c> (<c>{"weight_map": {key: shard file}}</c>) as Hugging Face writes them.
/// </summary>
internal static class WeightFiles
{
    public const string Single = "model.safetensors";
    public const string Index = "model.safetensors.index.json";

    /// <summary>Weight files in PyTorch's pickle formats, which are never read (unpickling can run arbitrary code).</summary>
    static readonly string[] PicklePatterns = ["pytorch_model.bin", "pytorch_model.bin.index.json", "pytorch_model-*.bin", "*.pt", "*.pth", "*.ckpt", "*.pkl"];

    /// <summary>The safetensors files to read, each with the keys the index assigns to it (null: all of its keys).</summary>
    public static IReadOnlyList<(string Path, HashSet<string>? IndexedKeys)> Resolve(string directory)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Pretrained directory '{directory}' does not exist; expected a folder with config.json and {Single}.");
        var single = Path.Combine(directory, Single);
        if (File.Exists(single)) return [(single, null)];
        var index = Path.Combine(directory, Index);
        RefusePickleOnly(directory);
        if (!File.Exists(index))
            throw new FileNotFoundException(
                $"No weights in '{directory}': expected '{single}' or, for sharded weights, '{index}'.", single);
        return ReadIndex(directory, index);
    }

    /// <summary>
    /// Throws <see cref="NotSupportedException"/> naming the file when <paramref name="directory"/> has no safetensors
    /// weights but has PyTorch pickle weights: there is no pickle loader, and no option to enable one.
    /// </summary>
    public static void RefusePickleOnly(string directory)
    {
        if (!Directory.Exists(directory) || File.Exists(Path.Combine(directory, Single)) || File.Exists(Path.Combine(directory, Index)))
            return;
        var pickle = PicklePatterns.SelectMany(pattern => Directory.EnumerateFiles(directory, pattern)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (pickle is null) return;
        throw new NotSupportedException(
            $"'{pickle}' is a PyTorch pickle checkpoint, and ModelDsl never loads pickle files: unpickling can run arbitrary code. "
            + $"Convert the weights to safetensors ('{Single}'), e.g. with the safetensors library's conversion on a machine you trust, "
            + "or take the model's safetensors files if its publisher provides them.");
    }

    static List<(string, HashSet<string>?)> ReadIndex(string directory, string index)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var document = JsonDocument.Parse(BoundedFile.ReadAllText(index, BoundedFile.JsonConfigBytes,
                length => new ModelConfigException(BoundedFile.TooLarge(index, length, BoundedFile.JsonConfigBytes, "a shard index") + ".")));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new ModelConfigException($"'{index}' has no \"weight_map\" object mapping tensor names to shard files.");
            weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String)
                    throw new ModelConfigException($"'{index}' maps \"{entry.Name}\" to {entry.Value.GetRawText()}; expected a shard file name.");
                weightMap[entry.Name] = entry.Value.GetString()!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ModelConfigException($"'{index}' is not valid JSON: {e.Message}", e);
        }

        var shards = new List<(string, HashSet<string>?)>();
        foreach (var group in weightMap.GroupBy(kv => kv.Value, StringComparer.Ordinal))
        {
            // A shard is a plain file name next to the index: no way out of the directory.
            if (group.Key.Length == 0 || group.Key != Path.GetFileName(group.Key) || group.Key is "." or "..")
                throw new ModelConfigException($"'{index}' names shard \"{group.Key}\"; shards must be file names in the same directory.");
            var path = Path.Combine(directory, group.Key);
            if (!File.Exists(path))
                throw new FileNotFoundException($"'{index}' lists shard '{path}', which does not exist.", path);
            shards.Add((path, group.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal)));
        }
        return shards;
    }
}
