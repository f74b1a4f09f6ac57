using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Tokenization;

/// <summary>
/// The bytes one token contributes to decoded text when it is neither the first nor the last token: the decoder chain
/// run on that one token, with the steps that only touch the start or end of the whole text (Metaspace's first-token
/// rule, a Strip after Fuse) left out, and byte-producing steps (ByteLevel, ByteFallback) kept as raw bytes.
/// </summary>
internal static class DecodedTokenBytes
{
    public static byte[] Of(string token, ITokenDecoder? decoder)
    {
        if (decoder is null) return Encoding.UTF8.GetBytes(" " + token);   // no decoder: tokens are joined with spaces
        var text = token;
        byte[]? bytes = null;
        var fused = false;
        foreach (var step in Flatten(decoder))
        {
            switch (step)
            {
                case ByteLevelDecoder:
                    var list = new List<byte>();
                    ByteLevelDecoder.AppendBytes(bytes is null ? text : Encoding.UTF8.GetString(bytes), list);
                    bytes = list.ToArray();
                    break;
                case ByteFallbackDecoder when bytes is null && ByteFallbackDecoder.TryParseByte(text, out var b):
                    bytes = [b];
                    break;
                case ByteFallbackDecoder:
                    break;
                case ReplaceDecoder replace when bytes is null:
                    text = replace.Replace(text);
                    break;
                case ReplaceDecoder { Pattern.LiteralText: { } literal } replace:
                    bytes = ReplaceBytes(bytes, Encoding.UTF8.GetBytes(literal), Encoding.UTF8.GetBytes(replace.Content));
                    break;
                case MetaspaceDecoder metaspace when bytes is null:
                    text = text.Replace(metaspace.Replacement, ' ');
                    break;
                case MetaspaceDecoder metaspace:
                    bytes = ReplaceBytes(bytes, Encoding.UTF8.GetBytes(metaspace.Replacement.ToString()), [(byte)' ']);
                    break;
                case FuseDecoder:
                    fused = true;
                    break;
                case StripDecoder strip when !fused && bytes is null:
                    text = strip.Strip(text);
                    break;
                case StripDecoder when fused:
                    break;
                default:
                    throw new NotSupportedException($"The bytes of a single token cannot be derived for the decoder step {step.GetType().Name} in this position.");
            }
        }
        return bytes ?? Encoding.UTF8.GetBytes(text);
    }

    static IEnumerable<ITokenDecoder> Flatten(ITokenDecoder decoder) =>
        decoder is SequenceDecoder sequence ? sequence.Decoders.SelectMany(Flatten) : [decoder];

    static byte[] ReplaceBytes(byte[] source, byte[] pattern, byte[] replacement)
    {
        var result = new List<byte>(source.Length);
        for (var i = 0; i < source.Length;)
        {
            if (pattern.Length > 0 && i + pattern.Length <= source.Length && source.AsSpan(i, pattern.Length).SequenceEqual(pattern))
            {
                result.AddRange(replacement);
                i += pattern.Length;
            }
            else result.Add(source[i++]);
        }
        return result.ToArray();
    }
}
