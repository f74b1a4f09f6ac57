using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using ModelDsl.Layers;
using ModelDsl.Models;
using ModelDsl.Peft;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.IO.Peft;

/// <summary>
/// Saves and loads a setup's adapter as a PEFT adapter directory: <c>adapter_config.json</c> +
/// <c>adapter_model.safetensors</c> (metadata <c>{"format": "pt"}</c>), in the layout of <see cref="PeftAdapterLayout"/>,
/// so LoRA and prompt-tuning adapters move between this runtime and Hugging Face PEFT both ways.
/// Both files are written atomically.
/// </summary>
public static class PeftAdapterFiles
{
    /// <summary>The config file's name.</summary>
    public const string ConfigFileName = "adapter_config.json";

    /// <summary>The weights file's name.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>The pickle weights file older PEFT versions wrote; it is refused, never read.</summary>
    const string PickleWeightsFileName = "adapter_model.bin";

    /// <summary>
    /// Metadata key holding the SHA-256 of the <c>adapter_config.json</c> saved with the weights. The two files are
    /// written one after the other; a save cut off between them would pair new weights with an old config (same shapes,
    /// other alpha), so loading checks the pair. PEFT ignores extra metadata and its own files lack the key.
    /// </summary>
    public const string ConfigHashMetadataKey = "modeldsl_adapter_config_sha256";

    /// <summary>
    /// Writes adapter <paramref name="adapterName"/> (the active one by default) of <paramref name="setup"/> to
    /// <paramref name="directory"/>. Both files are written into a sibling directory that is then swapped in, so saving
    /// over an existing adapter leaves the old or the new one, never a mix; other files in the directory are kept.
    /// </summary>
    public static void SaveAdapter(this PeftSetup setup, string directory, string? adapterName = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var call = setup.EnterAdapterCall(nameof(SaveAdapter), AdapterCall.Save);
        var name = adapterName ?? setup.ActiveAdapter;
        if (!setup.AdapterNames.Contains(name))
            throw new ArgumentException($"The setup has no adapter named '{name}' (it has: {string.Join(", ", setup.AdapterNames)}).", nameof(adapterName));
        if (setup.IsMerged)
            throw new InvalidOperationException("An adapter is merged into the base weights; call Unmerge() before saving so the saved weights are the adapter's alone.");
        var json = Encoding.UTF8.GetBytes(PeftAdapterConfigJson.Write(PeftAdapterLayout.ConfigFor(setup, name)));
        var metadata = new Dictionary<string, string> { ["format"] = "pt", [ConfigHashMetadataKey] = ContentHash.Sha256(json) };
        using var scope = NewDisposeScope();
        var tensors = PeftAdapterLayout.Tensors(setup, name)
            .Select(t => new KeyValuePair<string, Tensor>(t.Key, t.Resolve().detach().cpu().contiguous()))
            .ToList();
        SavedDirectory.Write(directory, staged =>
        {
            SafetensorsFile.Write(Path.Combine(staged, WeightsFileName), tensors, metadata);
            AtomicFile.Write(Path.Combine(staged, ConfigFileName), stream => stream.Write(json));
        });
    }

    /// <summary>
    /// Loads the adapter in <paramref name="directory"/> into <paramref name="setup"/> as adapter <paramref name="adapterName"/>,
    /// creating it (with the file's rank and alpha for LoRA) when the setup does not have it yet. Every tensor is checked
    /// before anything is copied. The adapter is not made active; call <see cref="PeftSetup.UseAdapter"/>.
    /// </summary>
    /// <exception cref="AdapterFormatException">
    /// A file is missing (or the weights are only in pickle form, <c>adapter_model.bin</c>), the config is malformed, of
    /// another method or uses a field this runtime does not implement, a tensor is missing or unexpected, a shape does
    /// not fit this base (the message names the first mismatching tensor and both shapes), or the rank is larger than a
    /// target layer allows. Everything is checked before anything changes: after a refusal the setup is as it was.
    /// </exception>
    public static void LoadAdapter(this PeftSetup setup, string directory, string adapterName = PeftSetup.DefaultAdapterName)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(adapterName);
        using var call = setup.EnterAdapterCall(nameof(LoadAdapter), AdapterCall.Change);
        if (setup.IsMerged)
            throw new InvalidOperationException("An adapter is merged into the base weights; call Unmerge() before loading adapters.");
        directory = SavedDirectory.Resolve(directory);
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath))
            throw new AdapterFormatException(directory, $"no {ConfigFileName}; an adapter directory holds {ConfigFileName} and {WeightsFileName}.");
        var configBytes = BoundedFile.ReadAllBytes(configPath, BoundedFile.JsonConfigBytes,
            length => new AdapterFormatException(configPath, $"{length:N0} bytes, over the {BoundedFile.JsonConfigBytes:N0}-byte limit for an adapter config; it is damaged or not an adapter config."));
        var config = PeftAdapterConfigJson.Parse(Encoding.UTF8.GetString(configBytes), configPath);
        var expectedType = PeftAdapterLayout.PeftTypeOf(setup.Config);
        if (config.PeftType != expectedType)
            throw new AdapterFormatException(configPath, $"the adapter is {config.PeftType}, but this setup does {setup.Config.MethodName()} ({expectedType}).");
        var loraSettings = setup.Config is LoraConfig ? LoraSettingsFrom(config, configPath, setup, adapterName) : null;
        if (loraSettings is not null)
            foreach (var target in setup.LoraTargets)
            {
                var smaller = Math.Min(target.Layer.InFeatures, target.Layer.OutFeatures);
                if (loraSettings.Rank > smaller)
                    throw new AdapterFormatException(configPath,
                        $"field \"r\" is {loraSettings.Rank}, larger than '{target.Path}' allows (its smaller dimension is {smaller}); the adapter was made for a wider base model.");
            }
        bool isNew = !setup.AdapterNames.Contains(adapterName);
        var expected = PeftAdapterLayout.Tensors(setup, adapterName, loraSettings);

        if (!File.Exists(weightsPath))
        {
            var pickle = Path.Combine(directory, PickleWeightsFileName);
            throw File.Exists(pickle)
                ? new AdapterFormatException(pickle, $"a PyTorch pickle file, and ModelDsl never loads pickle files (unpickling can run arbitrary code); "
                    + $"convert it to {WeightsFileName} on a machine you trust.")
                : new AdapterFormatException(directory, $"no {WeightsFileName}; an adapter directory holds {ConfigFileName} and {WeightsFileName}.");
        }
        using var content = SafetensorsFile.Read(weightsPath);
        if (content.Metadata.TryGetValue(ConfigHashMetadataKey, out var savedHash) && savedHash != ContentHash.Sha256(configBytes))
            throw new AdapterFormatException(directory,
                $"{ConfigFileName} is not the config saved with {WeightsFileName} (a save was probably interrupted between the two files); save the adapter again.");
        foreach (var tensor in expected)
        {
            if (!content.Tensors.TryGetValue(tensor.Key, out var found))
                throw new AdapterFormatException(weightsPath, $"missing tensor '{tensor.Key}' that this setup needs ({Shape(tensor.Shape)}); the adapter targets other layers.");
            if (!found.is_floating_point())
                throw new AdapterFormatException(weightsPath,
                    $"tensor '{tensor.Key}' is stored as {found.dtype}; adapter weights must be floating point (F32, F16, BF16 or F64).");
            if (!found.shape.SequenceEqual(tensor.Shape))
                throw new AdapterFormatException(weightsPath,
                    $"tensor '{tensor.Key}' is {Shape(found.shape)} in the file but this base needs {Shape(tensor.Shape)}; the adapter was made for another base model.");
        }
        var unexpected = content.Tensors.Keys.Except(expected.Select(t => t.Key)).ToList();
        if (unexpected.Count > 0)
            throw new AdapterFormatException(weightsPath,
                $"unexpected tensor(s) {string.Join(", ", unexpected.Take(5).Select(k => $"'{k}'"))}{(unexpected.Count > 5 ? ", …" : "")} that this setup has no place for; the adapter targets other layers.");

        if (isNew) setup.AddAdapter(adapterName, loraSettings);
        using (no_grad())
            foreach (var tensor in expected)
                tensor.Resolve().copy_(content.Tensors[tensor.Key]);
    }


    static LoraSettings LoraSettingsFrom(PeftAdapterConfig config, string path, PeftSetup setup, string adapterName)
    {
        if (config.R is not { } rank) throw new AdapterFormatException(path, "missing field \"r\" (the LoRA rank).");
        if (config.Bias is { } bias && bias != "none")
            throw new AdapterFormatException(path, $"field \"bias\" is \"{bias}\"; only \"none\" (no trained biases) is supported.");
        if (config.ModulesToSave is { Count: > 0 } modules)
            throw new AdapterFormatException(path, $"field \"modules_to_save\" lists {string.Join(", ", modules)}; fully trained extra modules are not supported in a LoRA adapter.");
        LoraSettings settings;
        try
        {
            settings = new LoraSettings(rank, config.LoraAlpha ?? 8, config.LoraDropout ?? 0, config.UseRslora ?? false);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new AdapterFormatException(path, $"field \"{PeftName(e.ParamName)}\" is invalid: {e.Message}", e);
        }
        if (setup.LoraSettingsByAdapter.TryGetValue(adapterName, out var existing)
            && (existing.Rank != settings.Rank || existing.Alpha != settings.Alpha || existing.UseRsLora != settings.UseRsLora))
            throw new AdapterFormatException(path,
                $"adapter '{adapterName}' exists with r={existing.Rank}, lora_alpha={existing.Alpha}, use_rslora={existing.UseRsLora} but the file has " +
                $"r={settings.Rank}, lora_alpha={settings.Alpha}, use_rslora={settings.UseRsLora}; load it under a new adapter name.");
        return settings;
    }

    static string PeftName(string? parameter) => parameter switch
    {
        "rank" => "r",
        "alpha" => "lora_alpha",
        "dropout" => "lora_dropout",
        _ => parameter ?? "?",
    };

    static string Shape(IEnumerable<long> shape) => $"[{string.Join(", ", shape)}]";
}
