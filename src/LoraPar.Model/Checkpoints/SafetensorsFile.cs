using LoraPar.Core;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>
/// Streams tensors between safetensors files and tensors one at a time: a CPU tensor of the file's dtype is read into
/// (or written from) its own memory directly; anything else goes through one temporary tensor of that tensor's size.
/// Memory in use is the model plus at most one tensor, never a second copy of the file. Every reading error (missing
/// or truncated file, bad header, unsupported dtype, wrong shape) is a <see cref="BadInputException"/>.
/// </summary>
public static class SafetensorsFile
{
    private const long ChunkBytes = 1L << 30;

    /// <summary>Reads <paramref name="entry"/> of <paramref name="header"/>'s file into <paramref name="target"/> (same shape; dtype and device converted).</summary>
    public static void ReadInto(SafeFileHandle file, SafetensorsHeader header, SafetensorsEntry entry, Tensor target)
    {
        if (!target.shape.SequenceEqual(entry.Shape))
            throw new BadInputException($"{header.Path}: tensor '{entry.Name}' has shape [{string.Join(", ", entry.Shape)}] " +
                $"but the model expects [{string.Join(", ", target.shape)}]; the checkpoint does not belong to this config.json.");
        using var noGrad = torch.no_grad();
        var direct = target.device_type == DeviceType.CPU && target.dtype == entry.DType && target.is_contiguous();
        using var staging = direct ? null : torch.empty(entry.Shape, entry.DType, CPU);
        Transfer(staging ?? target, header.DataStart + entry.Begin, (span, offset) => ReadExactly(file, span, offset, header.Path));
        if (staging is not null) target.copy_(staging);
    }

    /// <summary>Writes <paramref name="tensors"/> as one safetensors stream, laid out by element size (largest first) then name.</summary>
    public static void Write(Stream stream, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(stream, tensors.OrderByDescending(t => SafetensorsDType.Size(t.Value.dtype)).ThenBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => TensorSource.Of(t.Key, t.Value)).ToList(), metadata);

    /// <summary>Writes <paramref name="tensors"/> (any device; moved to the CPU one at a time), in the given order, to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(kv => TensorSource.Of(kv.Key, kv.Value)).ToList(), metadata);

    /// <summary>Writes the tensors <paramref name="sources"/> produce, one at a time and in their order, to <paramref name="path"/> atomically.</summary>
    public static void Write(string path, IReadOnlyList<TensorSource> sources, IReadOnlyDictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, stream => Write(stream, sources, metadata));

    /// <summary>
    /// Writes the tensors <paramref name="sources"/> produce as one safetensors stream, in their order. Each is produced
    /// when its bytes are due, checked against the dtype and shape it announced, and copied to the CPU only when it is
    /// not already a contiguous CPU tensor. <c>__metadata__</c> defaults to <c>{"format": "pt"}</c>, which transformers'
    /// <c>from_pretrained</c> requires.
    /// </summary>
    public static void Write(Stream stream, IReadOnlyList<TensorSource> sources, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new List<SafetensorsEntry>();
        long offset = 0;
        foreach (var source in sources)
        {
            var bytes = source.Elements * SafetensorsDType.Size(source.DType);
            entries.Add(new SafetensorsEntry(source.Key, source.DType, source.Shape, offset, offset + bytes));
            offset += bytes;
        }
        var header = SafetensorsHeader.Encode(entries, metadata ?? new Dictionary<string, string> { ["format"] = "pt" });
        Span<byte> length = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(length, header.Length);
        stream.Write(length);
        stream.Write(header);
        using var noGrad = torch.no_grad();
        foreach (var source in sources)
        {
            using var scope = torch.NewDisposeScope();
            using var produced = source.Open();
            if (produced.dtype != source.DType || !produced.shape.SequenceEqual(source.Shape))
                throw new InvalidOperationException($"{source.Key}: produced [{string.Join(", ", produced.shape)}] {produced.dtype}, " +
                    $"announced [{string.Join(", ", source.Shape)}] {source.DType}");
            var cpu = produced.device_type == DeviceType.CPU && produced.is_contiguous() ? produced : produced.to(CPU).contiguous();
            Transfer(cpu, 0, (span, _) => stream.Write(span));
        }
    }

    /// <summary>Reads every tensor of a file into new CPU tensors (for small files and tests; models use <see cref="ReadInto"/>).</summary>
    public static Dictionary<string, Tensor> ReadAll(string path)
    {
        var header = SafetensorsHeader.Read(path);
        using var file = File.OpenHandle(path);
        return header.Entries.ToDictionary(e => e.Name, e =>
        {
            var t = torch.empty(e.Shape, e.DType, CPU);
            ReadInto(file, header, e, t);
            return t;
        });
    }

    /// <summary>Calls <paramref name="io"/> on ≤1 GiB byte spans covering the memory of contiguous CPU <paramref name="tensor"/>.</summary>
    private static void Transfer(Tensor tensor, long fileOffset, SpanAction io)
    {
        if (tensor.numel() == 0) return;
        using var flat = tensor.view(-1);
        var elementSize = SafetensorsDType.Size(tensor.dtype);
        var chunk = ChunkBytes / elementSize;
        for (long start = 0; start < flat.numel(); start += chunk)
        {
            using var part = flat.narrow(0, start, Math.Min(chunk, flat.numel() - start));
            io(part.bytes, fileOffset + start * elementSize);
        }
    }

    private delegate void SpanAction(Span<byte> span, long fileOffset);

    private static void ReadExactly(SafeFileHandle file, Span<byte> span, long offset, string path)
    {
        while (span.Length > 0)
        {
            var read = RandomAccess.Read(file, span, offset);
            if (read == 0) throw new BadInputException($"{path}: file ends early; the checkpoint is truncated.");
            span = span[read..];
            offset += read;
        }
    }
}
