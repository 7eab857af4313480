using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using LoraPar.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Adapters;

/// <summary>One tensor to write: its key, dtype and shape up front, and a function that produces it when its bytes are due
/// (the writer disposes what <see cref="Open"/> returns), so large exports hold one produced tensor at a time.</summary>
public sealed record TensorSource(string Key, ScalarType DType, long[] Shape, Func<Tensor> Open)
{
    /// <summary>A source for an existing tensor (written through a detached alias; the tensor itself is not disposed).</summary>
    public static TensorSource Of(string key, Tensor tensor) => new(key, tensor.dtype, tensor.shape, tensor.detach);
}

/// <summary>
/// Reads and writes the safetensors format. Reading goes through TorchSharp.PyBridge (which maps F64…U8 and BOOL).
/// Writing is done here because PyBridge writes no <c>__metadata__</c>, and transformers' <c>from_pretrained</c> requires
/// <c>{"format": "pt"}</c> there; files are written atomically, tensor by tensor, without an extra copy of the data.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Writes <paramref name="tensors"/> (any device; moved to the CPU one at a time) to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(kv => TensorSource.Of(kv.Key, kv.Value)).ToList(), metadata);

    /// <summary>Writes the tensors <paramref name="sources"/> produce, one at a time, to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<TensorSource> sources, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = Header(sources, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            stream.Write(length);
            stream.Write(header);
            foreach (var source in sources)
            {
                using var produced = source.Open();
                if (produced.dtype != source.DType || !produced.shape.SequenceEqual(source.Shape))
                    throw new InvalidOperationException($"{source.Key}: produced [{string.Join(", ", produced.shape)}] {produced.dtype}, announced [{string.Join(", ", source.Shape)}] {source.DType}");
                using var cpu = produced.cpu();
                using var contiguous = cpu.contiguous();
                stream.Write(contiguous.bytes);
            }
        });
    }

    /// <summary>Reads every tensor of <paramref name="path"/> onto the CPU; a missing or malformed file is a <see cref="BadInputException"/>.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path)) throw new BadInputException($"{path}: file not found");
        try
        {
            return TorchSharp.PyBridge.Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is JsonException or IOException or ArgumentException or NotImplementedException or InvalidOperationException)
        {
            throw new BadInputException($"{path}: not a readable safetensors file ({e.Message}); write it again", e);
        }
    }

    /// <summary>The safetensors dtype name of <paramref name="type"/>.</summary>
    public static string DTypeName(ScalarType type) => type switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"safetensors has no dtype for {type}", nameof(type)),
    };

    private static byte[] Header(IReadOnlyList<TensorSource> entries, IReadOnlyDictionary<string, string> metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (k, v) in metadata) json.WriteString(k, v);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (key, dtype, shape, _) in entries)
            {
                var size = shape.Aggregate(1L, (a, b) => a * b) * dtype.ElementSize();
                json.WriteStartObject(key);
                json.WriteString("dtype", DTypeName(dtype));
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        var padded = (buffer.Length + 7) / 8 * 8;                                   // data starts 8-byte aligned
        var bytes = new byte[padded];
        buffer.ToArray().CopyTo(bytes, 0);
        Array.Fill(bytes, (byte)' ', (int)buffer.Length, (int)(padded - buffer.Length));
        return bytes;
    }
}
