using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Llama;

/// <summary>
/// y = x · W for a single input row on the CPU in float32 — every projection of a batch-1 decoding step — with W packed
/// into panels: 8 input rows × 8 outputs (64 floats) contiguous, panels in (input block, output block) order. The kernel
/// then reads the weights as one sequential stream (y += Σ x_i · W_i with AVX2 FMA, 8 rows at a time), which the memory
/// system serves at the speed of a plain sum reduction. Measured on the 2-core benchmark machine over the 94 MB of the
/// benchmark model's weights, one thread: 25–33 GB/s, against 16–17 GB/s for LibTorch's GEMV over the row-major (in, out)
/// weights and ~20 GB/s for the same kernel over them; two threads (second core free): 37–52 GB/s.
/// Sums run in a fixed order, so results are deterministic; they differ from the GEMV's in the last bits.
/// Where .NET accelerates 512-bit vectors (<see cref="KernelWidth.Widest"/>), one AVX-512 FMA covers two rows of a panel:
/// even and odd rows sum into the two halves of a (2 · out') accumulator, added at the end (a different, equally fixed order).
/// </summary>
public static class CpuMatvec
{
    /// <summary>Rows and outputs per panel side.</summary>
    public const int Block = 8;

    /// <summary>
    /// Whether an (<paramref name="inputs"/>, <paramref name="outputs"/>) weight of <paramref name="dtype"/> on
    /// <paramref name="device"/> can be packed: CPU float32, <c>in</c> a multiple of <see cref="Block"/>, AVX2 with FMA available.
    /// </summary>
    public static bool CanPack(long inputs, long outputs, ScalarType dtype, DeviceType device) =>
        Fma.IsSupported && Avx.IsSupported && device == DeviceType.CPU && dtype == ScalarType.Float32
        && inputs > 0 && inputs % Block == 0 && PaddedOutputs(outputs) * inputs <= int.MaxValue / sizeof(float);

    /// <summary><paramref name="outputs"/> rounded up to a multiple of <see cref="Block"/>.</summary>
    public static long PaddedOutputs(long outputs) => (outputs + Block - 1) / Block * Block;

    /// <summary>
    /// A packed copy of the (in, out_i) <paramref name="blocks"/> laid side by side as one (in, Σ out_i) weight:
    /// (in/8, out'/8, 8, 8) contiguous, out' = Σ out_i padded with zero columns to a multiple of 8. Check
    /// <see cref="CanPack"/> first. One pass over the weights in C#, with no LibTorch concatenation or permute copies.
    /// </summary>
    public static Tensor Pack(IReadOnlyList<Tensor> blocks)
    {
        long inputs = blocks[0].shape[0], outputs = blocks.Sum(b => b.shape[1]), padded = PaddedOutputs(outputs);
        long[] shape = [inputs / Block, padded / Block, Block, Block];
        var packed = padded == outputs ? torch.empty(shape, ScalarType.Float32, blocks[0].device)                // every element written below
            : torch.zeros(shape, ScalarType.Float32, blocks[0].device);                                         // (in/8, out'/8, 8, 8)
        var target = Floats(packed);
        var column = 0;
        foreach (var block in blocks)
        {
            using var rows = block.is_contiguous() ? block.alias() : block.contiguous();                          // (in, out_i) row-major
            PackColumns(Floats(rows), target, (int)inputs, (int)block.shape[1], column, (int)padded);
            column += (int)block.shape[1];
        }
        return packed;
    }

    /// <summary>A packed copy of one (in, out) <paramref name="weight"/>; see <see cref="Pack(IReadOnlyList{Tensor})"/>.</summary>
    public static Tensor Pack(Tensor weight) => Pack([weight]);

    /// <summary>Writes the (inputs, width) row-major <paramref name="rows"/> into columns column… of the packed <paramref name="target"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackColumns(ReadOnlySpan<float> rows, Span<float> target, int inputs, int width, int column, int padded)
    {
        var panelsPerRowBlock = padded / Block;
        for (var i = 0; i < inputs; i++)
        {
            var rowBase = (i / Block) * panelsPerRowBlock * Block * Block + (i % Block) * Block;
            var source = rows.Slice(i * width, width);
            var j = 0;
            while (j < width)
            {
                var c = column + j;
                var run = Math.Min(Block - c % Block, width - j);                                                 // up to the panel's edge
                source.Slice(j, run).CopyTo(target.Slice(rowBase + c / Block * Block * Block + c % Block, run));
                j += run;
            }
        }
    }

    /// <summary>
    /// (…, out) = <paramref name="x"/> (…, in) holding one row · the packed weight (+ <paramref name="bias"/>, (out)).
    /// With <paramref name="threads"/> &gt; 1 and a weight of at least <see cref="ParallelBytes"/>, the input blocks are split
    /// into that many contiguous ranges, each streamed by its own thread into its own partial sum (one core alone does
    /// not saturate memory); the partial sums are then added in a fixed order, so results depend only on the thread count.
    /// </summary>
    public static Tensor Multiply(Tensor x, Tensor packed, long outputs, Tensor? bias, int threads = 1, KernelWidth width = KernelWidth.Process)
    {
        int inputs = (int)(packed.shape[0] * Block), padded = (int)(packed.shape[1] * Block);
        if (x.numel() != inputs) throw new ArgumentException($"one row of {inputs} values expected, got shape [{string.Join(", ", x.shape)}]", nameof(x));
        var input = x.is_contiguous() ? x : x.contiguous();
        var y = torch.zeros([.. x.shape[..^1], padded], ScalarType.Float32, x.device);                         // (…, out')
        if (bias is not null) y.narrow(-1, 0, outputs).copy_(bias);
        var parts = packed.numel() * sizeof(float) >= ParallelBytes ? Math.Clamp(threads, 1, inputs / Block) : 1;
        if (parts == 1) Accumulate(Floats(input), Floats(packed), Floats(y), inputs, padded, width);
        else AccumulateInParts(input, packed, y, inputs, padded, parts, width);
        return padded == outputs ? y : y.narrow(-1, 0, outputs);                                               // (…, out)
    }

    /// <summary>Weights smaller than this (bytes) are streamed by one thread: the hand-off would cost more than it saves.</summary>
    public const long ParallelBytes = 256 * 1024;

    private static void AccumulateInParts(Tensor x, Tensor packed, Tensor y, int inputs, int padded, int parts, KernelWidth width)
    {
        var blocks = inputs / Block;
        var partials = Enumerable.Range(1, parts - 1).Select(_ => ArrayPool<float>.Shared.Rent(padded)).ToArray();
        try
        {
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                int first = blocks * part / parts * Block, count = blocks * (part + 1) / parts * Block - first;
                var target = part == 0 ? Floats(y) : partials[part - 1].AsSpan(0, padded);
                if (part > 0) target.Clear();
                Accumulate(Floats(x).Slice(first, count), Floats(packed).Slice(first * padded, count * padded), target, count, padded, width);
            });
            var sum = Floats(y);
            foreach (var partial in partials)
                for (var j = 0; j < padded; j += Vector256<float>.Count)
                    (Vector256.Create((ReadOnlySpan<float>)sum.Slice(j, Vector256<float>.Count)) + Vector256.Create(partial.AsSpan(j, Vector256<float>.Count)))
                        .CopyTo(sum.Slice(j, Vector256<float>.Count));
        }
        finally
        {
            foreach (var partial in partials) ArrayPool<float>.Shared.Return(partial);
        }
    }

    /// <summary>y += x · W for W packed as by <see cref="Pack"/> (<paramref name="inputs"/> × <paramref name="padded"/>, both multiples of 8).</summary>
    public static void Accumulate(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> y, int inputs, int padded, KernelWidth width = KernelWidth.Process)
    {
        if (inputs % Block != 0 || padded % Block != 0 || x.Length < inputs || y.Length < padded || packed.Length < (long)inputs * padded)
            throw new ArgumentException($"packed matvec spans do not fit ({inputs}, {padded})");
        if (KernelWidths.Uses512(width)) Accumulate512(x, packed, y, inputs, padded);
        else Accumulate256(x, packed, y, inputs, padded);
    }

    /// <summary>The AVX2 kernel: one 256-bit FMA per panel row, straight into y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate256(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> y, int inputs, int padded)
    {
        ref var panel = ref MemoryMarshal.GetReference(packed);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint at = 0;
        for (var i = 0; i < inputs; i += Block)
        {
            Vector256<float> x0 = Vector256.Create(x[i]), x1 = Vector256.Create(x[i + 1]), x2 = Vector256.Create(x[i + 2]), x3 = Vector256.Create(x[i + 3]),
                x4 = Vector256.Create(x[i + 4]), x5 = Vector256.Create(x[i + 5]), x6 = Vector256.Create(x[i + 6]), x7 = Vector256.Create(x[i + 7]);
            for (nuint j = 0; j < (nuint)padded; j += Block, at += Block * Block)
            {
                ref var p = ref Unsafe.Add(ref panel, at);
                var acc = Vector256.LoadUnsafe(ref yr, j);
                acc = Fma.MultiplyAdd(x0, Vector256.LoadUnsafe(ref p), acc);
                acc = Fma.MultiplyAdd(x1, Vector256.LoadUnsafe(ref p, 8), acc);
                acc = Fma.MultiplyAdd(x2, Vector256.LoadUnsafe(ref p, 16), acc);
                acc = Fma.MultiplyAdd(x3, Vector256.LoadUnsafe(ref p, 24), acc);
                acc = Fma.MultiplyAdd(x4, Vector256.LoadUnsafe(ref p, 32), acc);
                acc = Fma.MultiplyAdd(x5, Vector256.LoadUnsafe(ref p, 40), acc);
                acc = Fma.MultiplyAdd(x6, Vector256.LoadUnsafe(ref p, 48), acc);
                acc = Fma.MultiplyAdd(x7, Vector256.LoadUnsafe(ref p, 56), acc);
                acc.StoreUnsafe(ref yr, j);
            }
        }
    }

    /// <summary>
    /// The AVX-512 kernel: one 512-bit FMA per pair of panel rows into pairs[2j … 2j+15] (even rows' sums in the first
    /// half, odd rows' in the second), then y[j … j+7] += both halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate512(ReadOnlySpan<float> x, ReadOnlySpan<float> packed, Span<float> y, int inputs, int padded)
    {
        var rented = ArrayPool<float>.Shared.Rent(2 * padded);
        try
        {
            var pairs = rented.AsSpan(0, 2 * padded);
            pairs.Clear();
            ref var panel = ref MemoryMarshal.GetReference(packed);
            ref var pr = ref MemoryMarshal.GetReference(pairs);
            nuint at = 0;
            for (var i = 0; i < inputs; i += Block)
            {
                Vector512<float> x01 = Pair(x[i], x[i + 1]), x23 = Pair(x[i + 2], x[i + 3]), x45 = Pair(x[i + 4], x[i + 5]), x67 = Pair(x[i + 6], x[i + 7]);
                for (nuint j = 0; j < (nuint)(2 * padded); j += 2 * Block, at += Block * Block)
                {
                    ref var p = ref Unsafe.Add(ref panel, at);
                    var acc = Vector512.LoadUnsafe(ref pr, j);
                    acc = Vector512.FusedMultiplyAdd(x01, Vector512.LoadUnsafe(ref p), acc);
                    acc = Vector512.FusedMultiplyAdd(x23, Vector512.LoadUnsafe(ref p, 16), acc);
                    acc = Vector512.FusedMultiplyAdd(x45, Vector512.LoadUnsafe(ref p, 32), acc);
                    acc = Vector512.FusedMultiplyAdd(x67, Vector512.LoadUnsafe(ref p, 48), acc);
                    acc.StoreUnsafe(ref pr, j);
                }
            }
            for (var j = 0; j < padded; j += Block)
            {
                var sum = Vector512.LoadUnsafe(ref pr, (nuint)(2 * j));
                (Vector256.Create((ReadOnlySpan<float>)y.Slice(j, Block)) + sum.GetLower() + sum.GetUpper()).CopyTo(y.Slice(j, Block));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>(a × 8, b × 8): two panel rows' input values, one per 256-bit half.</summary>
    private static Vector512<float> Pair(float a, float b) => Vector512.Create(Vector256.Create(a), Vector256.Create(b));

    private static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);
}
