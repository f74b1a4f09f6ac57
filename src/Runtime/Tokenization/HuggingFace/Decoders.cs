using System.Collections.Generic;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>A <c>decoder</c> of <c>tokenizer.json</c>: turns the list of token strings into a new list (the Rust <c>decode_chain</c>).</summary>
internal interface ITokenDecoder
{
    List<string> DecodeChain(List<string> tokens);
}

/// <summary><c>Sequence</c>: each decoder on the output of the previous one.</summary>
internal sealed class SequenceDecoder(IReadOnlyList<ITokenDecoder> decoders) : ITokenDecoder
{
    public IReadOnlyList<ITokenDecoder> Decoders => decoders;

    public List<string> DecodeChain(List<string> tokens)
    {
        foreach (var decoder in decoders) tokens = decoder.DecodeChain(tokens);
        return tokens;
    }
}

/// <summary>
/// <c>ByteLevel</c>: each token's characters back to bytes through <see cref="ByteLevelAlphabet"/> (a token with a
/// character outside the alphabet contributes its own UTF-8), all bytes decoded as UTF-8 with U+FFFD for invalid runs.
/// </summary>
internal sealed class ByteLevelDecoder : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        var bytes = new List<byte>();
        foreach (var token in tokens) AppendBytes(token, bytes);
        return [Encoding.UTF8.GetString(bytes.ToArray())];
    }

    public static void AppendBytes(string token, List<byte> bytes)
    {
        var start = bytes.Count;
        foreach (var c in token)
        {
            if (!ByteLevelAlphabet.ByteOf.TryGetValue(c, out var b))
            {
                bytes.RemoveRange(start, bytes.Count - start);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }
            bytes.Add(b);
        }
    }
}

/// <summary>
/// <c>ByteFallback</c>: runs of <c>&lt;0xNN&gt;</c> tokens become the text of their bytes, or one U+FFFD per byte when
/// the run is not valid UTF-8.
/// </summary>
internal sealed class ByteFallbackDecoder : ITokenDecoder
{
    static readonly Encoding StrictUtf8 = new UTF8Encoding(false, true);

    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByte(token, out var b))
            {
                pending.Add(b);
                continue;
            }
            Flush(pending, result);
            result.Add(token);
        }
        Flush(pending, result);
        return result;
    }

    static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0) return;
        try
        {
            result.Add(StrictUtf8.GetString(pending.ToArray()));
        }
        catch (DecoderFallbackException)
        {
            for (var i = 0; i < pending.Count; i++) result.Add("\uFFFD");
        }
        pending.Clear();
    }

    /// <summary>Rust's test: six bytes long, <c>&lt;0x</c> … <c>&gt;</c>, and <c>u8::from_str_radix</c> of the middle two (which accepts a leading '+').</summary>
    public static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        if (token.Length != 6 || !token.StartsWith("<0x", System.StringComparison.Ordinal) || token[5] != '>') return false;
        if (Encoding.UTF8.GetByteCount(token) != 6) return false;
        int hi = Hex(token[3]), lo = Hex(token[4]);
        if (token[3] == '+' && lo >= 0) { value = (byte)lo; return true; }
        if (hi < 0 || lo < 0) return false;
        value = (byte)(hi * 16 + lo);
        return true;
    }

    static int Hex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}

/// <summary><c>Fuse</c>: all tokens joined into one.</summary>
internal sealed class FuseDecoder : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens) => [string.Concat(tokens)];
}

/// <summary><c>Strip</c>: removes up to <c>start</c> leading and <c>stop</c> trailing copies of a character from each token.</summary>
internal sealed class StripDecoder(int content, int start, int stop) : ITokenDecoder
{
    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (var token in tokens) result.Add(Strip(token));
        return result;
    }

    public string Strip(string token)
    {
        var runes = new List<Rune>();
        foreach (var rune in token.EnumerateRunes()) runes.Add(rune);
        var startCut = 0;
        for (var i = 0; i < start && i < runes.Count && runes[i].Value == content; i++) startCut = i + 1;
        var stopCut = runes.Count;
        for (var i = 0; i < stop && runes.Count - i - 1 >= 0 && runes[runes.Count - i - 1].Value == content; i++) stopCut = runes.Count - i - 1;
        var builder = new StringBuilder();
        for (var i = startCut; i < stopCut; i++) builder.Append(runes[i].ToString());
        return builder.ToString();
    }
}

/// <summary><c>Replace</c>: every match of the pattern in each token becomes the content.</summary>
internal sealed class ReplaceDecoder(TextPattern pattern, string content) : ITokenDecoder
{
    public TextPattern Pattern => pattern;

    public string Content => content;

    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        foreach (var token in tokens) result.Add(Replace(token));
        return result;
    }

    public string Replace(string token)
    {
        if (pattern.LiteralText is { } literal) return token.Replace(literal, content, System.StringComparison.Ordinal);
        var builder = new StringBuilder(token.Length);
        foreach (var (start, end, isMatch) in pattern.Find(token))
            if (isMatch) builder.Append(content);
            else builder.Append(token, start, end - start);
        return builder.ToString();
    }
}

/// <summary>
/// <c>Metaspace</c>: the replacement character becomes a space, except in the first token, where it is removed when
/// the prepend scheme is not <c>never</c>.
/// </summary>
internal sealed class MetaspaceDecoder(char replacement, PrependScheme scheme) : ITokenDecoder
{
    public char Replacement => replacement;

    public List<string> DecodeChain(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        for (var i = 0; i < tokens.Count; i++)
            result.Add(i == 0 && scheme != PrependScheme.Never
                ? tokens[i].Replace(replacement.ToString(), "", System.StringComparison.Ordinal)
                : tokens[i].Replace(replacement, ' '));
        return result;
    }
}
