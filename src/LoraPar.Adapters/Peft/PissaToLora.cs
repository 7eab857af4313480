using LoraPar.Core;
using static TorchSharp.torch;

namespace LoraPar.Adapters.Peft;

/// <summary>
/// PEFT's conversion of a trained PiSSA/OLoRA adapter into an equivalent plain-LoRA adapter for the ORIGINAL base model.
/// The residual base is W − s·B0·A0, so the trained model is W + s·(B·A − B0·A0) = W + s·B'·A' with
/// A' = [A; A0] (2r, in) and B' = [B, −B0] (out, 2r). The rank doubles; lora_alpha doubles (√2× with rsLoRA) so the scale
/// s stays the same; the converted adapter is plain LoRA (init true), loadable with the original base.
/// </summary>
public static class PissaToLora
{
    /// <summary>Converts <paramref name="trained"/> given the initial factors <paramref name="initial"/> (same keys); returns new tensors.</summary>
    public static (Dictionary<string, Tensor> Tensors, LoraConfig Config) Convert(
        IReadOnlyDictionary<string, Tensor> trained, IReadOnlyDictionary<string, Tensor> initial, LoraConfig config)
    {
        if (config.Init is not (LoraInit.Pissa or LoraInit.Olora))
            throw new InvalidOperationException($"init {config.Init.Name()} already adapts the original base; only pissa and olora adapters need converting");
        var missing = trained.Keys.Except(initial.Keys).ToList();
        if (missing.Count > 0)
            throw new BadInputException($"initial factors lack {string.Join(", ", missing.Take(3))}; give the initial adapter saved with the trained one");
        var result = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        foreach (var (key, value) in trained)
        {
            using var scope = NewDisposeScope();
            var start = initial[key].to(value.dtype, value.device);
            var joined = key.EndsWith(LoraAdapterSet.ASuffix, StringComparison.Ordinal)
                ? cat([value.detach(), start], 0)                   // [A; A0] = (2r, in)
                : cat([value.detach(), start.neg()], 1);            // [B, −B0] = (out, 2r)
            result[key] = joined.MoveToOuterDisposeScope();
        }
        var converted = config with
        {
            R = 2 * config.R,
            Alpha = config.UseRslora ? config.Alpha * Math.Sqrt(2) : config.Alpha * 2,
            Init = LoraInit.Kaiming,
            PissaNiter = null,
        };
        return (result, converted);
    }
}
