using LoraPar.Core;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>One tensor of a safetensors file: its dtype, shape and byte range, relative to the start of the data section.</summary>
public sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of elements.</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>
/// The header of a safetensors file: an 8-byte little-endian length N, then N bytes of JSON mapping each tensor name to
/// {dtype, shape, data_offsets}, plus an optional <c>__metadata__</c> string map. The data section follows.
/// </summary>
public sealed record SafetensorsHeader(string Path, IReadOnlyList<SafetensorsEntry> Entries, long DataStart, IReadOnlyDictionary<string, string> Metadata)
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Reads and checks the header of <paramref name="path"/> (the data is not read).</summary>
    public static SafetensorsHeader Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: checkpoint file not found.");
        using var file = File.OpenRead(path);
        Span<byte> prefix = stackalloc byte[8];
        if (file.Length < 8 || file.Read(prefix) != 8) throw Bad(path, "shorter than the 8-byte header length");
        var length = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        if (length <= 0 || length > MaxHeaderBytes || 8 + length > file.Length) throw Bad(path, $"header length {length} is impossible for a file of {file.Length} bytes");
        var json = new byte[length];
        file.ReadExactly(json);
        var header = Parse(path, json, 8 + length);
        var dataBytes = file.Length - header.DataStart;
        foreach (var e in header.Entries.Where(e => e.End > dataBytes))
            throw Bad(path, $"tensor '{e.Name}' ends at byte {e.End} of a {dataBytes}-byte data section (truncated file?)");
        return header;
    }

    private static SafetensorsHeader Parse(string path, byte[] json, long dataStart)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__")
                    foreach (var m in p.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                else entries.Add(Entry(path, p.Name, p.Value));
            }
            return new SafetensorsHeader(path, entries, dataStart, metadata);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw Bad(path, $"header is not valid safetensors JSON ({e.Message})");
        }
    }

    private static SafetensorsEntry Entry(string path, string name, JsonElement e)
    {
        var code = e.GetProperty("dtype").GetString() ?? "";
        var dtype = SafetensorsDType.Parse(code) ?? throw Bad(path, $"tensor '{name}' has unsupported dtype {code}");
        var shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var offsets = e.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        if (offsets.Length != 2) throw Bad(path, $"tensor '{name}': data_offsets must be [begin, end]");
        var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        if (entry.End - entry.Begin != entry.Elements * SafetensorsDType.Size(dtype) || entry.Begin < 0)
            throw Bad(path, $"tensor '{name}': data_offsets [{string.Join(", ", offsets)}] do not fit shape [{string.Join(", ", shape)}] of {code}");
        return entry;
    }

    /// <summary>The header JSON bytes for tensors laid out in <paramref name="entries"/> order, padded with spaces to a multiple of 8.</summary>
    public static byte[] Encode(IEnumerable<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("__metadata__");
            foreach (var (k, v) in metadata) w.WriteString(k, v);
            w.WriteEndObject();
            foreach (var e in entries)
            {
                w.WriteStartObject(e.Name);
                w.WriteString("dtype", SafetensorsDType.Code(e.DType));
                w.WriteStartArray("shape");
                foreach (var s in e.Shape) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(e.Begin);
                w.WriteNumberValue(e.End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        var bytes = buffer.ToArray();
        var padded = (bytes.Length + 7) / 8 * 8;
        return [.. bytes, .. Encoding.ASCII.GetBytes(new string(' ', padded - bytes.Length))];
    }

    private static BadInputException Bad(string path, string what) =>
        new($"{path}: not a valid safetensors file: {what}. Re-download or re-save the checkpoint.");
}
