using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using static TorchSharp.torch;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// Writes checkpoints under a root directory as <c>step-00000010/</c>. Each is first written to a hidden
/// temporary directory and renamed into place, so a crash mid-write never leaves a half checkpoint under a
/// real name. Keeps the newest <c>keepLast</c> and the best.
/// </summary>
public sealed class CheckpointStore
{
    const string Prefix = "step-";

    /// <summary>Creates a store over <paramref name="root"/> (created if missing).</summary>
    public CheckpointStore(string root, int keepLast)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        Root = Path.GetFullPath(root);
        KeepLast = keepLast;
        System.IO.Directory.CreateDirectory(Root);
    }

    /// <summary>The directory holding the checkpoints.</summary>
    public string Root { get; }

    /// <summary>How many recent checkpoints survive pruning.</summary>
    public int KeepLast { get; }

    /// <summary>Test hook: called after each file of a checkpoint is written, before the rename.</summary>
    internal Action<string>? FileWritten { get; set; }

    /// <summary>The directory name a checkpoint at <paramref name="step"/> gets.</summary>
    public static string NameFor(long step) => Prefix + step.ToString("D8", CultureInfo.InvariantCulture);

    /// <summary>The newest complete checkpoint under <paramref name="root"/>, or <see langword="null"/>.</summary>
    public static string? Latest(string root) => Complete(root).LastOrDefault().Path;

    /// <summary>
    /// Writes a checkpoint and prunes old ones beyond <see cref="KeepLast"/>, sparing the directories in
    /// <paramref name="keep"/> (the best, the last known good); returns its directory.
    /// </summary>
    public string Save(CheckpointState state, IEnumerable<KeyValuePair<string, Tensor>> weights,
        IEnumerable<KeyValuePair<string, Tensor>> optimizerState, params IEnumerable<string?> keep)
    {
        var final = Path.Combine(Root, NameFor(state.Step));
        var temporary = Path.Combine(Root, $".tmp-{NameFor(state.Step)}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(temporary);
        try
        {
            Write(Path.Combine(temporary, Checkpoint.WeightsFile), p => SafetensorsFile.Write(p, weights));
            Write(Path.Combine(temporary, Checkpoint.OptimizerFile), p => SafetensorsFile.Write(p, optimizerState));
            Write(Path.Combine(temporary, Checkpoint.StateFile),
                p => AtomicFile.Write(p, s => JsonSerializer.Serialize(s, state, Checkpoint.Json)));
            Replace(temporary, final);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        Prune(keep);
        return final;
    }

    void Write(string path, Action<string> write)
    {
        write(path);
        FileWritten?.Invoke(path);
    }

    static void Replace(string temporary, string final)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(final))!;
        if (!System.IO.Directory.Exists(final))
        {
            System.IO.Directory.Move(temporary, final);
            DirectorySync.Flush(parent);
            return;
        }
        // Same step saved again (e.g. after a resume): swap so that one complete copy always exists.
        var old = final + ".old-" + Guid.NewGuid().ToString("N");
        System.IO.Directory.Move(final, old);
        System.IO.Directory.Move(temporary, final);
        DirectorySync.Flush(parent);
        TryDelete(old);
    }

    void Prune(IEnumerable<string?> keep)
    {
        var spared = keep.Where(k => k is not null).Select(k => Path.GetFileName(k!)).ToHashSet(StringComparer.Ordinal);
        var all = Complete(Root);
        foreach (var (path, _) in all.Take(Math.Max(0, all.Count - KeepLast)))
            if (!spared.Contains(Path.GetFileName(path)))
                TryDelete(path);
    }

    /// <summary>Complete checkpoints under <paramref name="root"/>, oldest first; temporary directories are ignored.</summary>
    static List<(string Path, long Step)> Complete(string root)
    {
        if (!System.IO.Directory.Exists(root)) return [];
        return System.IO.Directory.GetDirectories(root, Prefix + "*")
            .Select(d => (Path: d, Name: System.IO.Path.GetFileName(d)))
            .Where(d => d.Name.Length == Prefix.Length + 8 && long.TryParse(d.Name.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Where(d => File.Exists(System.IO.Path.Combine(d.Path, Checkpoint.StateFile)))
            .Select(d => (d.Path, Step: long.Parse(d.Name.AsSpan(Prefix.Length), CultureInfo.InvariantCulture)))
            .OrderBy(d => d.Step)
            .ToList();
    }

    static void TryDelete(string directory)
    {
        try { System.IO.Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* best effort: a leftover is ignored by Latest */ }
        catch (UnauthorizedAccessException) { }
    }
}
