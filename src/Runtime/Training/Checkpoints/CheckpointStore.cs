using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ModelDsl.IO;
using static TorchSharp.torch;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// The checkpoint folder of one run: <c>step-00000010/</c> directories, the run marker <c>run.json</c> naming the run
/// that owns the folder, and a <c>.lock</c> file held while a trainer writes to it (<see cref="BeginWriting"/>, for the
/// whole of <c>Trainer.Fit</c>; a second trainer writing to the folder at the same time is refused). Each checkpoint is written to a hidden temporary directory and renamed into place, so a crash mid-write
/// never leaves a half checkpoint under a real name; re-saving a step moves the old copy aside first, and until the new
/// one is in place the old copy counts as that step's checkpoint. Only this run's checkpoints are pruned (the newest
/// <c>keepLast</c> and the best survive); after resuming an older checkpoint, the run's later ones are replaced as it
/// saves past them.
/// </summary>
public sealed class CheckpointStore
{
    readonly object _gate = new();
    FolderLock? _lock;
    int _writers;

    /// <summary>Creates a store over <paramref name="root"/> (created if missing).</summary>
    public CheckpointStore(string root, int keepLast)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        Root = Path.GetFullPath(root);
        KeepLast = keepLast;
        Directory.CreateDirectory(Root);
    }

    /// <summary>
    /// Locks the folder until the result is disposed, then finishes what crashed saves left (an old copy whose
    /// replacement never arrived is put back; temporary directories are deleted). Nested calls share the lock.
    /// </summary>
    /// <exception cref="CheckpointException">Another trainer, in this process or another, is writing to the folder.</exception>
    public IDisposable BeginWriting()
    {
        lock (_gate)
        {
            if (_writers++ == 0)
            {
                try
                {
                    _lock = FolderLock.Acquire(Root, reason => new CheckpointException(
                        $"The checkpoint folder '{Root}' is in use by another trainer (in this or another process): {reason} "
                        + "Two trainers writing to one folder would prune each other's checkpoints; give each run its own CheckpointDir, or wait for the other to finish."));
                    RecoverInterruptedSaves();
                }
                catch
                {
                    _lock?.Dispose();
                    _lock = null;
                    _writers = 0;
                    throw;
                }
            }
        }
        return new ModelDsl.Layers.ActionScope(() =>
        {
            lock (_gate)
                if (--_writers == 0)
                {
                    _lock?.Dispose();
                    _lock = null;
                }
        });
    }

    /// <summary>
    /// <paramref name="checkpoint"/> under the name it has once interrupted saves are recovered: an old copy a crashed
    /// re-save left (<c>step-N.old-…</c>) is its step's checkpoint <c>step-N</c>.
    /// </summary>
    internal static string Canonical(string checkpoint)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpoint));
        return CheckpointNames.TryParse(Path.GetFileName(full), out var step, out var isOld) && isOld
            ? Path.Combine(Path.GetDirectoryName(full)!, NameFor(step))
            : full;
    }

    /// <summary>The directory holding the checkpoints.</summary>
    public string Root { get; }

    /// <summary>How many recent checkpoints of this run survive pruning.</summary>
    public int KeepLast { get; }

    /// <summary>Test hook: called after each file of a checkpoint is written, before the rename.</summary>
    internal Action<string>? FileWritten { get; set; }

    /// <summary>Test hook: called when a re-save has moved the old copy aside, before the new copy is renamed in.</summary>
    internal Action<string>? OldCopyMovedAside { get; set; }

    /// <summary>The directory name a checkpoint at <paramref name="step"/> gets.</summary>
    public static string NameFor(long step) => CheckpointNames.For(step);

    /// <summary>
    /// The newest complete checkpoint under <paramref name="root"/> of the run that owns the folder (all runs when the
    /// folder has no run marker), or <see langword="null"/>. An old copy that a crashed re-save moved aside counts.
    /// </summary>
    public static string? Latest(string root) =>
        Directory.Exists(root) ? Complete(root, RunMarker.Read(root)).LastOrDefault().Path : null;

    /// <summary>The run that owns <paramref name="root"/> (its <c>run.json</c>), or <see langword="null"/>.</summary>
    public static string? OwnerOf(string root) => Directory.Exists(root) ? RunMarker.Read(root) : null;

    /// <summary>
    /// Makes run <paramref name="runId"/> the owner of the folder before it writes anything. Allowed when the folder
    /// holds no checkpoints, already belongs to this run, or the run resumes a checkpoint of the folder's own run
    /// (<paramref name="resumedCheckpoint"/>, recorded under <paramref name="resumedRunId"/>); with
    /// <paramref name="overwrite"/> another run's checkpoints are deleted; otherwise they are refused.
    /// </summary>
    /// <exception cref="CheckpointException">The folder holds another run's checkpoints.</exception>
    internal void Claim(string runId, string? resumedCheckpoint, string? resumedRunId, bool overwrite)
    {
        var owner = RunMarker.Read(Root);
        if (owner == runId) return;
        var resumedHere = resumedCheckpoint is not null
            && string.Equals(Path.GetDirectoryName(Path.GetFullPath(resumedCheckpoint).TrimEnd(Path.DirectorySeparatorChar)), Root, StringComparison.Ordinal)
            && (owner is null || owner == resumedRunId);
        var foreign = StepDirectories(Root).Select(d => d.Path).ToList();
        if (!resumedHere && foreign.Count > 0 && !overwrite)
        {
            var newest = Complete(Root, owner).LastOrDefault().Path ?? foreign.Max(StringComparer.Ordinal);
            throw new CheckpointException(
                $"The checkpoint folder '{Root}' holds {foreign.Count} checkpoint(s) of another run{(owner is null ? "" : $" (run {owner})")}, newest '{Path.GetFileName(newest)}'. "
                + "A new run there would mix its checkpoints with theirs. Resume that run (Trainer.Resume, or --resume on the command line), "
                + "use an empty CheckpointDir, or set TrainerOptions.OverwriteCheckpoints (--overwrite) to delete them.");
        }
        RunMarker.Write(Root, runId);
        if (resumedHere) return;
        foreach (var directory in foreign) TryDelete(directory);
        DirectorySync.Flush(Root);
    }

    /// <summary>
    /// Writes a checkpoint and prunes this run's old ones beyond <see cref="KeepLast"/>, sparing the directories in
    /// <paramref name="keep"/> (the best, the last known good); returns its directory.
    /// </summary>
    public string Save(CheckpointState state, IEnumerable<KeyValuePair<string, Tensor>> weights,
        IEnumerable<KeyValuePair<string, Tensor>> optimizerState, params IEnumerable<string?> keep)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var writing = BeginWriting();
        var name = NameFor(state.Step);
        var final = Path.Combine(Root, name);
        var temporary = Path.Combine(Root, CheckpointNames.TemporaryFor(name));
        Directory.CreateDirectory(temporary);
        try
        {
            Write(Path.Combine(temporary, Checkpoint.WeightsFile), p => SafetensorsFile.Write(p, weights));
            Write(Path.Combine(temporary, Checkpoint.OptimizerFile), p => SafetensorsFile.Write(p, optimizerState));
            Write(Path.Combine(temporary, Checkpoint.StateFile),
                p => AtomicFile.Write(p, s => JsonSerializer.Serialize(s, state, Checkpoint.Json)));
            DirectorySync.Flush(temporary);
            Replace(temporary, final);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        Prune(keep, state.RunId, state.Step);
        return final;
    }

    void Write(string path, Action<string> write)
    {
        write(path);
        FileWritten?.Invoke(path);
    }

    void Replace(string temporary, string final)
    {
        if (!Directory.Exists(final))
        {
            Directory.Move(temporary, final);
            DirectorySync.Flush(Root);
            return;
        }
        // Same step saved again (e.g. after resuming an older checkpoint): the old copy moves aside under a name that
        // Latest still recognises as this step, so a crash between the two renames leaves it findable.
        var old = Path.Combine(Root, CheckpointNames.OldCopyOf(Path.GetFileName(final)));
        Directory.Move(final, old);
        DirectorySync.Flush(Root);
        OldCopyMovedAside?.Invoke(old);
        Directory.Move(temporary, final);
        DirectorySync.Flush(Root);
        TryDelete(old);
    }

    // Checkpoints of this run after the one just saved come from a continuation the run abandoned when it resumed an
    // older checkpoint; left in place they would count as newer. Of the rest, the newest KeepLast and the spared stay.
    void Prune(IEnumerable<string?> keep, string runId, long savedStep)
    {
        var spared = keep.Where(k => k is not null).Select(k => Path.GetFileName(k!)).ToHashSet(StringComparer.Ordinal);
        var mine = Complete(Root, runId);
        foreach (var (path, _) in mine.Where(c => c.Step > savedStep))
            if (!spared.Contains(Path.GetFileName(path)))
                TryDelete(path);
        var current = mine.Where(c => c.Step <= savedStep).ToList();
        foreach (var (path, _) in current.Take(Math.Max(0, current.Count - KeepLast)))
            if (!spared.Contains(Path.GetFileName(path)))
                TryDelete(path);
    }

    // A crashed re-save can leave the old copy aside with or without its replacement; a crashed save leaves a temporary
    // directory. Put back or drop the first, delete the second. Runs under the folder's lock, so no save is in progress.
    void RecoverInterruptedSaves()
    {
        foreach (var directory in Directory.GetDirectories(Root))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith(CheckpointNames.TemporaryPrefix, StringComparison.Ordinal))
            {
                TryDelete(directory);
                continue;
            }
            if (!CheckpointNames.TryParse(name, out var step, out var isOldCopy) || !isOldCopy) continue;
            var primary = Path.Combine(Root, NameFor(step));
            if (IsComplete(primary)) TryDelete(directory);
            else if (IsComplete(directory))
            {
                if (Directory.Exists(primary)) TryDelete(primary);
                Directory.Move(directory, primary);
            }
            else TryDelete(directory);
        }
        DirectorySync.Flush(Root);
    }

    /// <summary>
    /// Complete checkpoints under <paramref name="root"/>, oldest first, of run <paramref name="runId"/> (every run when
    /// null); for a step whose directory is missing, the old copy an interrupted re-save left.
    /// </summary>
    static List<(string Path, long Step)> Complete(string root, string? runId) =>
        StepDirectories(root)
            .GroupBy(d => d.Step)
            .Select(g => g.OrderBy(d => d.IsOldCopy).FirstOrDefault(d => IsComplete(d.Path)))
            .Where(d => d.Path is not null && (runId is null || RunMarker.RunIdOf(Path.Combine(d.Path, Checkpoint.StateFile)) == runId))
            .Select(d => (d.Path, d.Step))
            .OrderBy(d => d.Step)
            .ToList();

    static List<(string Path, long Step, bool IsOldCopy)> StepDirectories(string root) =>
        Directory.GetDirectories(root)
            .Select(d => (Path: d, Parsed: CheckpointNames.TryParse(Path.GetFileName(d), out var step, out var isOld), Step: step, IsOld: isOld))
            .Where(d => d.Parsed)
            .Select(d => (d.Path, d.Step, d.IsOld))
            .ToList();

    static bool IsComplete(string directory) => File.Exists(Path.Combine(directory, Checkpoint.StateFile));

    static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { /* best effort: a leftover is recovered or ignored on the next start */ }
        catch (UnauthorizedAccessException) { }
    }
}
