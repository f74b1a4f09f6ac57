using System;
using System.Security.Cryptography;

namespace ModelDsl.IO;

/// <summary>The hash a weights file records of the config saved with it (lower-case hex SHA-256).</summary>
internal static class ContentHash
{
    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
