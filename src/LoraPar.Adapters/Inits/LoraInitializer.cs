using LoraPar.Core;
using LoraPar.Model.Runtime;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Inits;

/// <summary>Initial LoRA factors for one Linear: A (r, in), B (out, r), and the new base weight (out, in) where the init changes it.</summary>
public sealed record LoraFactors(Tensor A, Tensor B, Tensor? Residual);

/// <summary>
/// The initialisations of PEFT's <c>tuners/lora/layer.py</c> (and the authors' gaussian-both), as pure functions of the base
/// weight, the config and a seeded generator. Random draws come from a CPU generator and are moved to the weight's device.
/// Factors are float32 when the base weight is half precision (PEFT's <c>autocast_adapter_dtype</c>), else the weight's dtype.
/// </summary>
public static class LoraInitializer
{
    /// <summary>The element type LoRA factors get for a base weight of <paramref name="baseType"/>.</summary>
    public static ScalarType AdapterDType(ScalarType baseType) =>
        baseType is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : baseType;

    /// <summary>Factors for <paramref name="weight"/> (out, in) under <paramref name="config"/>; <paramref name="where"/> names the module in errors.</summary>
    public static LoraFactors Create(Tensor weight, LoraConfig config, Generator generator, string where)
    {
        if (weight.dim() != 2) throw new ArgumentException($"{where}: expected a (out, in) weight, got rank {weight.dim()}", nameof(weight));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var factors = config.Init switch
        {
            LoraInit.Kaiming => Kaiming(weight, config.R, generator),
            LoraInit.GaussianBoth => GaussianBoth(weight, config.R, config.Sigma, generator),
            LoraInit.Pissa => Pissa(weight, config, generator, where),
            LoraInit.Olora => Olora(weight, config, where),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Init, "unknown LoRA init"),
        };
        return new LoraFactors(factors.A.MoveToOuterDisposeScope(), factors.B.MoveToOuterDisposeScope(), factors.Residual?.MoveToOuterDisposeScope());
    }

    /// <summary>PEFT <c>init_lora_weights=True</c>: A ~ kaiming-uniform(a = √5), B = 0.</summary>
    public static LoraFactors Kaiming(Tensor weight, int r, Generator generator)
    {
        var (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1]);
        var dtype = AdapterDType(weight.dtype);
        var a = KaimingUniform.Fill(empty([r, inFeatures], dtype: dtype), Math.Sqrt(5), generator).to(weight.device);  // (r, in)
        var b = zeros([outFeatures, r], dtype: dtype, device: weight.device);                                          // (out, r)
        return new LoraFactors(a, b, null);
    }

    /// <summary>The authors' scheme: A, B ~ N(0, σ), A drawn first.</summary>
    public static LoraFactors GaussianBoth(Tensor weight, int r, double sigma, Generator generator)
    {
        var (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1]);
        var dtype = AdapterDType(weight.dtype);
        var a = empty([r, inFeatures], dtype: dtype).normal_(0, sigma, generator).to(weight.device);   // (r, in)
        var b = empty([outFeatures, r], dtype: dtype).normal_(0, sigma, generator).to(weight.device);  // (out, r)
        return new LoraFactors(a, b, null);
    }

    /// <summary>
    /// PiSSA: W = U·diag(S)·Vh (exact, or randomized low-rank with <see cref="LoraConfig.PissaNiter"/> iterations),
    /// Sr = S[:r] / scale, A = diag(√Sr)·Vh[:r], B = U[:, :r]·diag(√Sr), residual W − scale·B·A (computed in float32).
    /// </summary>
    public static LoraFactors Pissa(Tensor weight, LoraConfig config, Generator generator, string where)
    {
        var r = CheckRank(weight, config.R, "pissa", where);
        var w = weight.to_type(ScalarType.Float32);                               // (out, in)
        Tensor ur, sr, vhr;
        if (config.PissaNiter is { } niter)
        {
            var (u, s, v) = LowRankSvd.Compute(w, r, niter, generator);          // (out, r), (r), (in, r)
            (ur, sr, vhr) = (u, s, v.mT);
        }
        else
        {
            var (u, s, vh) = linalg.svd(w, fullMatrices: false);                  // (out, k), (k), (k, in)
            (ur, sr, vhr) = (u[.., ..r], s[..r], vh[..r]);
        }
        var sqrtS = sr.Over(config.Scaling).sqrt();                                 // (r)
        var a = sqrtS.unsqueeze(1) * vhr;                                          // diag(√Sr) @ Vh[:r] = (r, in)
        var b = ur * sqrtS.unsqueeze(0);                                           // U[:, :r] @ diag(√Sr) = (out, r)
        return Finish(weight, w, a, b, config.Scaling);
    }

    /// <summary>OLoRA: W = Q·R (reduced QR), B = Q[:, :r], A = R[:r], residual W − scale·B·A (computed in float32).</summary>
    public static LoraFactors Olora(Tensor weight, LoraConfig config, string where)
    {
        var r = CheckRank(weight, config.R, "olora", where);
        var w = weight.to_type(ScalarType.Float32);                               // (out, in)
        var (q, rr) = linalg.qr(w);                                                // (out, k), (k, in)
        return Finish(weight, w, rr[..r].contiguous(), q[.., ..r].contiguous(), config.Scaling);
    }

    private static LoraFactors Finish(Tensor weight, Tensor w32, Tensor a, Tensor b, double scaling)
    {
        var residual = w32 - b.matmul(a).Times(scaling);                           // (out, r) @ (r, in) = (out, in)
        var dtype = AdapterDType(weight.dtype);
        return new LoraFactors(a.to_type(dtype).contiguous(), b.to_type(dtype).contiguous(), residual.to_type(weight.dtype));
    }

    private static int CheckRank(Tensor weight, int r, string init, string where)
    {
        var maxRank = Math.Min(weight.shape[0], weight.shape[1]);
        return r <= maxRank ? r : throw new BadInputException(
            $"{where}: r = {r} exceeds min(out, in) = {maxRank} of its weight [{weight.shape[0]}, {weight.shape[1]}], which {init} needs; lower r");
    }
}
