using System.Collections.Generic;

namespace ModelDsl.Tokenization;

/// <summary>
/// GPT-2's reversible map between the 256 byte values and printable characters: printable Latin-1 bytes map to
/// themselves, the others to U+0100 onwards in byte order (a space becomes <c>Ġ</c>, a newline <c>Ċ</c>).
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character standing for each byte.</summary>
    public static readonly char[] CharOf = Build();

    /// <summary>The byte each alphabet character stands for.</summary>
    public static readonly IReadOnlyDictionary<char, byte> ByteOf = Invert(CharOf);

    static char[] Build()
    {
        var map = new char[256];
        var next = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)(256 + next++);
        }
        return map;
    }

    static Dictionary<char, byte> Invert(char[] map)
    {
        var inverse = new Dictionary<char, byte>(256);
        for (var b = 0; b < 256; b++) inverse[map[b]] = (byte)b;
        return inverse;
    }
}
