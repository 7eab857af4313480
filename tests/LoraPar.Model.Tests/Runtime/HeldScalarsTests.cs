using LoraPar.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace LoraPar.Model.Tests.Runtime;

/// <summary>Each held form computes TorchSharp's own form bit for bit, values and gradients: the reference is TorchSharp.</summary>
public sealed class HeldScalarsTests : TorchTest
{
    public static TheoryData<string> FloatForms()
    {
        TorchRuntime.EnsureInitialized();
        using var scope = NewDisposeScope();
        return [.. Forms(ones(1)).Keys];
    }

    [Theory]
    [MemberData(nameof(FloatForms))]
    public void A_held_form_equals_TorchSharps_form_bit_for_bit_in_float32_float64_and_bfloat16(string form)
    {
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.BFloat16 })
        {
            using var scope = NewDisposeScope();
            using var generator = new Generator(7, CPU);
            var x = randn([5, 7], generator: generator).mul(3).to(dtype);
            var (held, reference) = Forms(x)[form];
            Assert.True(SameBits(held, reference), $"{form} in {dtype}");
        }
    }

    [Fact]
    public void Gradients_through_held_forms_equal_TorchSharps_bit_for_bit()
    {
        using var generator = new Generator(11, CPU);
        using var a = randn([4, 6], generator: generator).requires_grad_();
        using var b = randn([4, 6], generator: generator).requires_grad_();
        Tensor[] Grads(Func<Tensor, Tensor, Tensor> f)
        {
            a.grad?.zero_();
            b.grad?.zero_();
            f(a, b).sum().backward();
            return [a.grad!.clone(), b.grad!.clone()];
        }
        var held = Grads((x, y) => x.Plus(y.Times(0.3)).Squared().Over(3.0).Minus(1.0));
        var reference = Grads((x, y) => (x + 0.3 * y).square() / 3.0 - 1.0);
        Assert.True(SameBits(held[0], reference[0]) && SameBits(held[1], reference[1]));
    }

    [Fact]
    public void Integer_forms_keep_the_integer_type_and_values()
    {
        using var x = tensor(new long[] { -3, 0, 5, 9 });
        using var plus = x.Plus(4L);
        using var minus = x.Minus(1L);
        using var over = x.Over(2L);
        Assert.Equal(new long[] { 1, 4, 9, 13 }, plus.data<long>().ToArray());
        Assert.Equal(new long[] { -4, -1, 4, 8 }, minus.data<long>().ToArray());
        Assert.Equal(ScalarType.Float32, over.dtype);                                   // true division, as torch's / does
        Assert.Equal(new[] { -1.5f, 0f, 2.5f, 4.5f }, over.data<float>().ToArray());
        using var inPlace = tensor(new long[] { 1, 2 });
        inPlace.PlusInPlace(1L);
        Assert.Equal(new long[] { 2, 3 }, inPlace.data<long>().ToArray());
    }

    [Fact]
    public void Range_and_normal_equal_torch_arange_and_torch_normal()
    {
        using var range = HeldScalars.Range(3, 8, ScalarType.Int64);
        using var arangeReference = arange(3, 8, ScalarType.Int64);
        Assert.True(SameBits(range, arangeReference));
        using var upTo = HeldScalars.Range(4);
        Assert.Equal(new long[] { 0, 1, 2, 3 }, upTo.data<long>().ToArray());
        using var g1 = new Generator(5, CPU);
        using var g2 = new Generator(5, CPU);
        using var drawn = HeldScalars.Normal(0.25, 0.02, [16, 3], g1);
        using var normalReference = normal(0.25, 0.02, [16, 3], generator: g2);
        Assert.True(SameBits(drawn, normalReference));
    }

    private static bool SameBits(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.ToArray().SequenceEqual(b.contiguous().bytes.ToArray());

    /// <summary>Form name → (held form, TorchSharp's form) on <paramref name="x"/>.</summary>
    private static Dictionary<string, (Tensor Held, Tensor Reference)> Forms(Tensor x)
    {
        var y = x.flip(0);
        return new()
        {
            ["a + b"] = (x.Plus(y), x + y),
            ["a.add_(b)"] = (x.clone().PlusInPlace(y), x.clone().add_(y)),
            ["a.add_(s)"] = (x.clone().PlusInPlace(1e-5), x.clone().add_(1e-5)),
            ["a - s"] = (x.Minus(1.0), x - 1.0),
            ["a * s"] = (x.Times(0.02f), x * 0.02f),
            ["s * a"] = (x.Times(0.5), 0.5 * x),
            ["a / s"] = (x.Over(0.7), x / 0.7),
            ["a / n"] = (x.Over(3L), x / 3L),
            ["a.square()"] = (x.Squared(), x.square()),
        };
    }
}
