using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace ModelDsl.Tests.Tokenization;

/// <summary>
/// Writes a minimal SentencePiece BPE <c>tokenizer.model</c> (a protobuf <c>ModelProto</c>) by hand, so the test
/// needs no trainer and no download. Fields used: ModelProto.pieces (1), trainer_spec (2), normalizer_spec (3);
/// SentencePiece.piece (1), score (2), type (3); TrainerSpec.model_type (3), unk/bos/eos/pad ids (40–43);
/// NormalizerSpec.name (1), add_dummy_prefix (3), remove_extra_whitespaces (4), escape_whitespaces (5).
/// </summary>
internal static class SentencePieceModelBytes
{
    public const int Normal = 1, Unknown = 2, Control = 3;

    public static byte[] Build(IReadOnlyList<(string Piece, float Score, int Type)> pieces)
    {
        using var model = new MemoryStream();
        foreach (var (piece, score, type) in pieces)
        {
            using var entry = new MemoryStream();
            WriteString(entry, 1, piece);
            WriteFloat(entry, 2, score);
            WriteVarintField(entry, 3, (ulong)type);
            WriteBytes(model, 1, entry.ToArray());
        }
        using (var trainer = new MemoryStream())
        {
            WriteVarintField(trainer, 3, 2);                    // model_type = BPE
            WriteVarintField(trainer, 4, (ulong)pieces.Count);  // vocab_size
            WriteVarintField(trainer, 40, 0);                   // unk_id
            WriteVarintField(trainer, 41, 1);                   // bos_id
            WriteVarintField(trainer, 42, 2);                   // eos_id
            WriteVarintField(trainer, 43, unchecked((ulong)-1L)); // pad_id = -1 (none)
            WriteBytes(model, 2, trainer.ToArray());
        }
        using (var normalizer = new MemoryStream())
        {
            WriteString(normalizer, 1, "identity");
            WriteVarintField(normalizer, 3, 1);                 // add_dummy_prefix
            WriteVarintField(normalizer, 4, 0);                 // remove_extra_whitespaces
            WriteVarintField(normalizer, 5, 1);                 // escape_whitespaces (space → ▁)
            WriteBytes(model, 3, normalizer.ToArray());
        }
        return model.ToArray();
    }

    static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        s.WriteByte((byte)value);
    }

    static void WriteTag(Stream s, int field, int wireType) => WriteVarint(s, (ulong)((field << 3) | wireType));

    static void WriteVarintField(Stream s, int field, ulong value)
    {
        WriteTag(s, field, 0);
        WriteVarint(s, value);
    }

    static void WriteFloat(Stream s, int field, float value)
    {
        WriteTag(s, field, 5);
        s.Write(BitConverter.GetBytes(value));
    }

    static void WriteBytes(Stream s, int field, byte[] bytes)
    {
        WriteTag(s, field, 2);
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    static void WriteString(Stream s, int field, string value) => WriteBytes(s, field, Encoding.UTF8.GetBytes(value));
}
