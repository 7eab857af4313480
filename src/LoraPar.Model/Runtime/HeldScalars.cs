using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Runtime;

/// <summary>
/// Tensor arithmetic whose TorchSharp Scalars stay referenced until libtorch returns. TorchSharp's <c>a + b</c>,
/// <c>x * 0.5</c>, <c>x.square()</c>, <c>add_(t)</c> and <c>arange(n)</c> each make a Scalar (α = 1, the literal, the
/// exponent 2, the start 0) and pass only its handle on, so a collection during the call can finalize it while libtorch
/// reads it (reproduced: an INTERNAL ASSERT in Scalar.h). Each method here runs the same libtorch op with the same
/// Scalar values as the TorchSharp form it names, so results are bit for bit the same; the analyzer
/// (LoraPar.Analyzers, LP0002) points at the unheld forms.
/// </summary>
public static class HeldScalars
{
    /// <summary><c>a + b</c>: <c>add(b, α = 1)</c>.</summary>
    public static Tensor Plus(this Tensor a, Tensor b)
    {
        using Scalar one = 1;
        return a.add(b, one);
    }

    /// <summary><c>a.add_(b)</c>: <c>add_(b, α = 1)</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, Tensor b)
    {
        using Scalar one = 1;
        return a.add_(b, one);
    }

    /// <summary><c>a.add_(s)</c> for a floating <paramref name="s"/>: <c>add_(s, α = 1)</c>.</summary>
    public static Tensor PlusInPlace(this Tensor a, double s)
    {
        using Scalar value = s, one = 1;
        return a.add_(value, one);
    }

    /// <summary><c>a.add_(n)</c> for an integer <paramref name="n"/> (integer tensors keep their type).</summary>
    public static Tensor PlusInPlace(this Tensor a, long n)
    {
        using Scalar value = n, one = 1;
        return a.add_(value, one);
    }

    /// <summary><c>a + n</c> for an integer <paramref name="n"/>: <c>add(n, α = 1)</c>.</summary>
    public static Tensor Plus(this Tensor a, long n)
    {
        using Scalar value = n, one = 1;
        return a.add(value, one);
    }

    /// <summary><c>a - s</c> for a floating <paramref name="s"/>: <c>sub(s)</c>.</summary>
    public static Tensor Minus(this Tensor a, double s)
    {
        using Scalar value = s;
        return a.sub(value);
    }

    /// <summary><c>a - n</c> for an integer <paramref name="n"/>: <c>sub(n)</c>.</summary>
    public static Tensor Minus(this Tensor a, long n)
    {
        using Scalar value = n;
        return a.sub(value);
    }

    /// <summary><c>a * s</c>: <c>mul(s)</c>.</summary>
    public static Tensor Times(this Tensor a, double s)
    {
        using Scalar value = s;
        return a.mul(value);
    }

    /// <summary><c>a / s</c>: <c>div(s)</c>, true division.</summary>
    public static Tensor Over(this Tensor a, double s)
    {
        using Scalar value = s;
        return a.div(value);
    }

    /// <summary><c>a / n</c> for an integer <paramref name="n"/>: <c>div(n)</c>, true division.</summary>
    public static Tensor Over(this Tensor a, long n)
    {
        using Scalar value = n;
        return a.div(value);
    }

    /// <summary><c>a.square()</c>: <c>pow(2)</c>.</summary>
    public static Tensor Squared(this Tensor a)
    {
        using Scalar two = 2;
        return a.pow(two);
    }

    /// <summary><c>torch.arange(end)</c>: 0, 1, …, end − 1.</summary>
    public static Tensor Range(long end, ScalarType? dtype = null, Device? device = null) => Range(0, end, dtype, device);

    /// <summary><c>torch.arange(start, end)</c> with step 1.</summary>
    public static Tensor Range(long start, long end, ScalarType? dtype = null, Device? device = null)
    {
        using Scalar from = start, to = end, step = 1;
        return arange(from, to, step, dtype, device);
    }

    /// <summary><c>torch.normal(mean, std, shape)</c>: <c>randn(shape).mul_(std).add_(mean)</c>, as TorchSharp draws it.</summary>
    public static Tensor Normal(double mean, double std, long[] shape, Generator? generator = null)
    {
        using Scalar scale = std, shift = mean, one = 1;
        return randn(shape, generator: generator).mul_(scale).add_(shift, one);
    }
}
