using System;
using System.Globalization;

namespace ModelDsl.Training.Checkpoints;

/// <summary>
/// The directory names of a checkpoint folder: <c>step-00000030</c> (at least eight digits, more past 99,999,999, so
/// names sort by length then text and always parse back to their step), the old copy a re-save moves aside
/// (<c>step-00000030.old-&lt;id&gt;</c>) and the temporary directory a save writes into (<c>.tmp-step-00000030-&lt;id&gt;</c>).
/// </summary>
internal static class CheckpointNames
{
    public const string Prefix = "step-";
    public const string TemporaryPrefix = ".tmp-";
    const string OldInfix = ".old-";

    /// <summary>The directory name of the checkpoint at <paramref name="step"/>.</summary>
    public static string For(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return Prefix + step.ToString("D8", CultureInfo.InvariantCulture);
    }

    /// <summary>A fresh name for the copy of <paramref name="name"/> that a re-save moves aside.</summary>
    public static string OldCopyOf(string name) => name + OldInfix + Guid.NewGuid().ToString("N");

    /// <summary>A fresh name for the directory a save of <paramref name="name"/> writes into.</summary>
    public static string TemporaryFor(string name) => TemporaryPrefix + name + "-" + Guid.NewGuid().ToString("N");

    /// <summary>
    /// Parses <c>step-N</c> (<paramref name="isOldCopy"/> false) or <c>step-N.old-id</c> (true); false for any other name,
    /// including a step number too large for a 64-bit integer.
    /// </summary>
    public static bool TryParse(string name, out long step, out bool isOldCopy)
    {
        step = 0;
        isOldCopy = false;
        if (!name.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(Prefix.Length);
        var old = rest.IndexOf(OldInfix, StringComparison.Ordinal);
        if (old >= 0)
        {
            if (old + OldInfix.Length == rest.Length) return false;
            isOldCopy = true;
            rest = rest[..old];
        }
        return rest.Length >= 8 && rest.Length <= 19
            && long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out step);
    }

    /// <summary>Whether <paramref name="name"/> is a plain checkpoint name (no path, no old-copy suffix).</summary>
    public static bool IsCheckpointName(string? name) =>
        name is not null && TryParse(name, out _, out var isOld) && !isOld;
}
