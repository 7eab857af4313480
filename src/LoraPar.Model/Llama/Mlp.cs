using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace LoraPar.Model.Llama;

/// <summary>SwiGLU feed-forward block: down(silu(gate(x)) ⊙ up(x)).</summary>
public sealed class Mlp : Module<Tensor, Tensor>, IFusibleProjections
{
    public Module<Tensor, Tensor> gate_proj;
    public Module<Tensor, Tensor> up_proj;
    public Module<Tensor, Tensor> down_proj;

    private readonly FusionSlots _fusion = new();   // [0] gate/up, [1] down

    public Mlp(LlamaConfig config, ScalarType dtype, Device device) : base("mlp")
    {
        long d = config.HiddenSize, hidden = config.IntermediateSize;
        gate_proj = ParameterFactory.Linear(d, hidden, config.MlpBias, dtype, device);
        up_proj = ParameterFactory.Linear(d, hidden, config.MlpBias, dtype, device);
        down_proj = ParameterFactory.Linear(hidden, d, config.MlpBias, dtype, device);
        RegisterComponents();
    }

    /// <summary>(B, T, d) → (B, T, d) through (B, T, intermediate).</summary>
    public override Tensor forward(Tensor x)
    {
        var (gate, up) = _fusion[0]?.TryProject(x, gate_proj, up_proj) is [var g, var u] ? (g, u) : (gate_proj.call(x), up_proj.call(x));  // (B, T, I)
        var gated = functional.silu(gate);                                                 // (B, T, I)
        var product = torch.is_grad_enabled() ? gated * up : gated.mul_(up);               // (B, T, I)
        return _fusion[1]?.TryProject(product, down_proj) is [var y] ? y : down_proj.call(product);  // (B, T, d)
    }

    bool IFusibleProjections.Fuse(int threads) => _fusion.Open(threads, [gate_proj, up_proj], [down_proj]);

    void IFusibleProjections.Unfuse() => _fusion.Dispose();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _fusion.Dispose();
        base.Dispose(disposing);
    }
}
