using System.Buffers.Binary;
using System.Text;

namespace ModelDsl.Tests.IO;

/// <summary>Builds raw safetensors bytes by hand, so tests do not depend on the writer under test.</summary>
internal static class SafetensorsBytes
{
    public static byte[] Build(string headerJson, byte[] data) => Build(Encoding.UTF8.GetBytes(headerJson), data);

    public static byte[] Build(byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var file = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredHeaderLength ?? (ulong)header.Length);
        header.CopyTo(file, 8);
        data.CopyTo(file, 8 + header.Length);
        return file;
    }
}
