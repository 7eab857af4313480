using LoraPar.Core;
using LoraPar.Method.Importance;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Method.Partition;

/// <summary>One LoRA tensor's place in the flat element vector.</summary>
/// <param name="Name">The parsed tensor name.</param>
/// <param name="Shape">Its shape: (r, in) for A, (out, r) for B.</param>
/// <param name="Offset">Index of its first element in the flat vector.</param>
/// <param name="Count">Its number of elements.</param>
public sealed record LoraSegment(LoraTensorName Name, long[] Shape, long Offset, long Count);

/// <summary>
/// The flat element vector over all LoRA tensors that partitioning ranks: tensors in canonical order
/// (<see cref="LoraTensorName.CompareTo"/>), each flattened row-major. An element's flat index is also its tie-break rank.
/// </summary>
public sealed class LoraLayout
{
    private readonly Dictionary<string, LoraSegment> byKey;

    /// <summary>Lays out tensors of the given shapes; every key must be a LoRA tensor key.</summary>
    public LoraLayout(IReadOnlyDictionary<string, long[]> shapes)
    {
        if (shapes.Count == 0) throw new BadInputException("no LoRA tensors to partition: attach LoRA to at least one module.");
        var segments = new List<LoraSegment>();
        long offset = 0;
        foreach (var key in LoraTensorName.CanonicalOrder(shapes.Keys))
        {
            var shape = shapes[key].ToArray();
            var count = shape.Aggregate(1L, (a, b) => a * b);
            segments.Add(new LoraSegment(LoraTensorName.Parse(key), shape, offset, count));
            offset += count;
        }
        Segments = segments;
        TotalElements = offset;
        byKey = segments.ToDictionary(s => s.Name.Key);
    }

    /// <summary>The tensors in flat order.</summary>
    public IReadOnlyList<LoraSegment> Segments { get; }

    /// <summary>Number of LoRA elements.</summary>
    public long TotalElements { get; }

    /// <summary>The segment of <paramref name="key"/>.</summary>
    public LoraSegment this[string key] => byKey[key];

    /// <summary>Concatenates the tensors (each keyed by LoRA name, shaped per this layout) into one (n,) tensor of <paramref name="dtype"/> on <paramref name="device"/> (CPU by default).</summary>
    public Tensor Flatten(IReadOnlyDictionary<string, Tensor> tensors, ScalarType dtype, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var parts = Segments.Select(s =>
        {
            if (!tensors.TryGetValue(s.Name.Key, out var t) || !t.shape.SequenceEqual(s.Shape))
                throw new ArgumentException($"'{s.Name.Key}' is missing or not shaped ({string.Join(", ", s.Shape)})", nameof(tensors));
            return t.detach().to(dtype, device ?? CPU).reshape(-1);   // (count,)
        }).ToArray();
        return cat(parts, dim: 0).MoveToOuterDisposeScope();   // (n,)
    }

    /// <summary>Splits a flat (n,) tensor back into one tensor per LoRA name, each reshaped to its tensor's shape (copies).</summary>
    public Dictionary<string, Tensor> Unflatten(Tensor flat)
    {
        if (flat.dim() != 1 || flat.shape[0] != TotalElements)
            throw new ArgumentException($"expected a ({TotalElements},) tensor, got ({string.Join(", ", flat.shape)})", nameof(flat));
        var result = new Dictionary<string, Tensor>();
        foreach (var s in Segments)
        {
            using var scope = NewDisposeScope();
            result[s.Name.Key] = flat.narrow(0, s.Offset, s.Count).reshape(s.Shape).clone().MoveToOuterDisposeScope();   // (count,) -> shape
        }
        return result;
    }
}
