using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// Keys and values of the positions seen so far, preallocated at (B, H_kv, capacity, D) per layer and written in place,
/// so a decoding step copies only its own new entries (no concatenation). All rows share one timeline of slots;
/// left-padded rows mark their padding slots invalid through the key mask instead.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(LlamaConfig config, long batch, long capacity, ScalarType dtype, Device device)
    {
        Batch = batch;
        Capacity = capacity;
        long[] shape = [batch, config.NumKeyValueHeads, capacity, config.HeadDim];
        _keys = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => torch.zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
        _values = Enumerable.Range(0, config.NumHiddenLayers).Select(_ => torch.zeros(shape, dtype, device).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>Rows in the batch.</summary>
    public long Batch { get; }

    /// <summary>Slots available per row.</summary>
    public long Capacity { get; }

    /// <summary>Slots filled so far (the past length of the next forward pass).</summary>
    public long Length { get; private set; }

    /// <summary>Writes (B, H_kv, T, D) keys and values of <paramref name="layer"/> after the filled slots; returns all filled-plus-new slots.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var count = keys.shape[2];
        if (Length + count > Capacity)
            throw new InvalidOperationException($"KV cache overflow: {Length} + {count} slots exceed its capacity of {Capacity}.");
        _keys[layer].narrow(2, Length, count).copy_(keys);
        _values[layer].narrow(2, Length, count).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + count), _values[layer].narrow(2, 0, Length + count));  // (B, H_kv, S, D)
    }

    /// <summary>The whole (B, H_kv, capacity, D) key and value buffers of <paramref name="layer"/>; slots past the filled ones hold stale data.</summary>
    public (Tensor Keys, Tensor Values) Buffers(int layer) => (_keys[layer], _values[layer]);

    /// <summary>Marks <paramref name="count"/> more slots as filled, once every layer has appended them.</summary>
    public void Advance(long count) => Length += count;

    /// <summary>Forgets every slot (the memory is reused).</summary>
    public void Reset() => Length = 0;

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values)) t.Dispose();
    }
}
