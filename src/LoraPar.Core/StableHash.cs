using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LoraPar.Core;

/// <summary>Hashes that are the same on every machine and every run: cache keys and seeded per-item random draws.</summary>
public static class StableHash
{
    /// <summary>Lower-case hex SHA-256 of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A uniform number in [0, 1) determined by (<paramref name="seed"/>, <paramref name="key"/>) alone, whatever the order of calls.</summary>
    public static double Uniform(long seed, string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\u001f{key}"));
        var bits = BinaryPrimitives.ReadUInt64LittleEndian(hash) >> 11; // 53 random bits
        return bits * (1.0 / (1UL << 53));
    }
}
