using static TorchSharp.torch;

namespace LoraPar.Model.Checkpoints;

/// <summary>One tensor to write: its key, dtype and shape up front, and a function that produces it when its bytes are due
/// (the writer disposes what <see cref="Open"/> returns), so large exports hold one produced tensor at a time.</summary>
public sealed record TensorSource(string Key, ScalarType DType, long[] Shape, Func<Tensor> Open)
{
    /// <summary>A source for an existing tensor (written through a detached alias; the tensor itself is not disposed).</summary>
    public static TensorSource Of(string key, Tensor tensor) => new(key, tensor.dtype, tensor.shape, tensor.detach);

    /// <summary>Number of elements.</summary>
    public long Elements => Shape.Aggregate(1L, (a, b) => a * b);
}
