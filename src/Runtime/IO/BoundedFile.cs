using System;
using System.IO;
using System.Text;

namespace ModelDsl.IO;

/// <summary>
/// Reads a whole JSON or text file only after checking its size against a limit, so a damaged or hostile file of
/// gigabytes is refused before a buffer of that size is allocated. Each caller turns the refusal into its own
/// exception type (a config, adapter, checkpoint or data error) naming the file.
/// </summary>
internal static class BoundedFile
{
    /// <summary>Largest <c>config.json</c>, <c>adapter_config.json</c>, shard index or run marker read (real ones are kilobytes).</summary>
    public const long JsonConfigBytes = 16L << 20;

    /// <summary>Largest <c>trainer_state.json</c> read (it lists every step's loss: about 25 bytes a step).</summary>
    public const long TrainerStateBytes = 512L << 20;

    /// <summary>Largest tokenizer file read (vocabularies and merges of real models are a few megabytes).</summary>
    public const long TokenizerBytes = 256L << 20;

    /// <summary>The bytes of <paramref name="path"/>, or <paramref name="tooLarge"/>(its length) thrown when it exceeds <paramref name="limit"/>.</summary>
    public static byte[] ReadAllBytes(string path, long limit, Func<long, Exception> tooLarge)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var length = stream.Length;
        if (length > limit) throw tooLarge(length);
        var bytes = new byte[length];
        stream.ReadExactly(bytes);
        // A file that grew since Length was read is read no further than its checked length.
        return bytes;
    }

    /// <summary>The UTF-8 text of <paramref name="path"/> (a byte-order mark dropped), size-checked as <see cref="ReadAllBytes"/>.</summary>
    public static string ReadAllText(string path, long limit, Func<long, Exception> tooLarge)
    {
        var bytes = ReadAllBytes(path, limit, tooLarge);
        var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    /// <summary>Throws <paramref name="tooLarge"/>(its length) when the file at <paramref name="path"/> exceeds <paramref name="limit"/>.</summary>
    public static void RequireAtMost(string path, long limit, Func<long, Exception> tooLarge)
    {
        var length = new FileInfo(path).Length;
        if (length > limit) throw tooLarge(length);
    }

    /// <summary>"'path' is N bytes, over the L-byte limit for a WHAT", for messages.</summary>
    public static string TooLarge(string path, long length, long limit, string what) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"'{path}' is {length:N0} bytes, over the {limit:N0}-byte limit for {what}; it is damaged or not {what}");
}
