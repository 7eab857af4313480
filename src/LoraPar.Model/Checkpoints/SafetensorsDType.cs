using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>The dtype codes of the safetensors format and their torch types.</summary>
public static class SafetensorsDType
{
    private static readonly (string Code, ScalarType Type, int Size)[] Table =
    [
        ("F64", ScalarType.Float64, 8), ("F32", ScalarType.Float32, 4), ("BF16", ScalarType.BFloat16, 2),
        ("F16", ScalarType.Float16, 2), ("I64", ScalarType.Int64, 8), ("I32", ScalarType.Int32, 4),
        ("I16", ScalarType.Int16, 2), ("I8", ScalarType.Int8, 1), ("U8", ScalarType.Byte, 1), ("BOOL", ScalarType.Bool, 1),
    ];

    /// <summary>The torch type of a code such as <c>BF16</c>; null when unsupported.</summary>
    public static ScalarType? Parse(string code) => Table.Where(t => t.Code == code).Select(t => (ScalarType?)t.Type).FirstOrDefault();

    /// <summary>The code of <paramref name="type"/>.</summary>
    public static string Code(ScalarType type) => Table.Where(t => t.Type == type).Select(t => t.Code).FirstOrDefault()
        ?? throw new ArgumentOutOfRangeException(nameof(type), type, "no safetensors code for this dtype");

    /// <summary>Bytes per element.</summary>
    public static int Size(ScalarType type) => Table.Where(t => t.Type == type).Select(t => t.Size).FirstOrDefault() is var size and > 0
        ? size
        : throw new ArgumentOutOfRangeException(nameof(type), type, "no safetensors code for this dtype");
}
